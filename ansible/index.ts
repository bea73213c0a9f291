export { renderAnsible, EXECUTABLE_FILES } from './render';
export { CP_CLUSTER_VARS } from './cp-cluster-vars';
export { INVENTORY_FILE } from './inventory';
export type { RenderAnsibleOptions } from './render';
export { connectFromTerraformOutputs, connectionMismatch, readAnsibleOutput, CONNECTION_FILES, CONNECTION_INVENTORY, ANSIBLE_OUTPUT } from './connect';
export type { AnsibleOutput } from './connect';
export { PLAYBOOKS } from './playbooks';
export { INSTALLER_VARS, installerVarsFolder, installerVarsTarget } from './installer-vars';
