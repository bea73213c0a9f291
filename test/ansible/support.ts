/** Helpers of the ansible tests: rendered trees on disk and the optional ansible tools. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { renderAnsible, type RenderAnsibleOptions } from '../../ansible';
import type { PlatformConfig } from '../../config';
import { PLATFORM_SERVICES, platformHostnames } from '../../platform';
import { portalImagesFacts } from '../../cli/render';

/** The platform names cli/render.ts passes renderAnsible: the apex and the service hosts, from the registry. */
export function platformHostnamesOf(config: PlatformConfig): string[] {
  return platformHostnames(PLATFORM_SERVICES, config);
}

/** renderAnsible as the CLI calls it, with the platform names and portal image facts it passes. */
export function renderAnsibleAsCli(config: PlatformConfig, options: Omit<RenderAnsibleOptions, 'platformHostnames' | 'portalImages'> = {}): Map<string, string> {
  return renderAnsible(config, { ...options, platformHostnames: platformHostnamesOf(config), portalImages: portalImagesFacts() });
}

/** Writes rendered files under a fresh temporary directory (with an empty ansible.cfg) and returns it. */
export function writeTree(...maps: ReadonlyMap<string, string>[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-ansible-'));
  // an empty configuration in the working directory shadows any user or system ansible.cfg
  fs.writeFileSync(path.join(dir, 'ansible.cfg'), '[defaults]\n');
  for (const files of maps) {
    for (const [rel, content] of files) {
      const file = path.join(dir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
  }
  return dir;
}

export function removeTree(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Whether a command is on PATH. */
export function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * `it` when every tool is installed, otherwise `it.skip` after a visible warning, so a missing
 * tool never looks like a pass.
 */
export function itWithTools(...tools: string[]): jest.It {
  const missing = tools.filter((t) => !installed(t));
  if (missing.length === 0) return it;
  console.warn(`SKIPPED: ${missing.join(', ')} not installed (Debian: apt-get install --no-install-recommends ansible-core ansible-lint)`);
  return it.skip;
}

/** Environment of the ansible tools: offline, no colour, no user configuration. */
export function ansibleEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true',
    ANSIBLE_LINT_SKIP_VERSION_CHECK: '1',
    ANSIBLE_LINT_NODEPS: '1',
    PY_COLORS: '0',
    ...extra,
  };
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000): Run {
  const r = spawnSync(command, args, { cwd, env: ansibleEnv(), encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** A rendered YAML file, parsed. */
export function yamlOf(files: ReadonlyMap<string, string>, rel: string): any {
  const text = files.get(rel);
  if (text === undefined) throw new Error(`${rel} was not rendered`);
  return parse(text);
}

/**
 * `copy` for a playbook run with `connection: local`, as action_plugins/copy.py beside it (ansible's
 * template action calls ansible.legacy.copy, which resolves to a plugin beside the playbook first):
 * writes `src` or `content` to `dest` with `mode` from the controller, as the copy module would on
 * this same machine, without starting the stat and copy modules (a Python process each).
 */
export const LOCAL_COPY_ACTION = `import json
import os

from ansible.module_utils.common.text.converters import to_bytes
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        content = args.get('content')
        if content is None:
            with open(args['src'], 'rb') as f:
                data = f.read()
        else:
            data = to_bytes(content if isinstance(content, str) else json.dumps(content))
        with open(args['dest'], 'wb') as f:
            f.write(data)
        if args.get('mode'):
            os.chmod(args['dest'], int(str(args['mode']), 8))
        result.update(changed=True, dest=args['dest'])
        return result
`;

// kpaas connect's input, shared with test/stacks: test/support/kakaocloud-outputs.ts
export { KAKAO_APPLIED, kakaoOutputs } from '../support/kakaocloud-outputs';

/** A pre-started interpreter for a playbook run's modules (module-zygote.py), and how to use it. */
export interface ModuleZygote {
  /** The run's ansible_python_interpreter. */
  readonly interpreter: string;
  /** What the run's environment adds: where the server listens and the real interpreter. */
  readonly env: Record<string, string>;
  /** The ansible version whose modules and module_utils the server preloaded. */
  readonly version: string;
  stop(): void;
}

/** The interpreter ansible-playbook on PATH runs under (its shebang): the one whose ansible the modules must match. */
export function controllerPython(): string {
  const found = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).stdout.trim();
  const shebang = fs.readFileSync(found, 'utf8').split('\n', 1)[0].replace(/^#!\s*/, '').trim().split(/\s+/);
  return shebang[0].endsWith('/env') ? shebang[1] : shebang[0];
}

/** The ansible-core version and package directory the ansible-playbook on PATH runs with (its --version). */
export function controllerAnsible(): { readonly version: string; readonly location: string } {
  const out = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8', env: ansibleEnv() }).stdout;
  return { version: /\[core ([^\]]+)\]/.exec(out)?.[1] ?? '', location: /ansible python module location = (.+)/.exec(out)?.[1].trim() ?? '' };
}

/**
 * Starts module-zygote.py under `python` (with `libs` first on its path) in `dir`, so that a
 * playbook run's module calls fork from one warm interpreter instead of each starting Python
 * (about 0.17 CPU-s a call here). The client it returns as the interpreter falls back to `python`
 * for anything but a module call. The calls run the server's ansible, not the controller's copy in
 * the AnsiballZ zip (module-zygote.py), so it fails unless that is the installation
 * ansible-playbook reports (`controller`). The server ends when this process does (its stdin).
 */
export function startModuleZygote(dir: string, python: string, libs: readonly string[] = [], controller = controllerAnsible()): Promise<ModuleZygote> {
  const socketPath = path.join(dir, 'module-zygote.sock');
  const client = path.join(dir, 'module-python');
  fs.writeFileSync(client, `#!${python} -S\n${fs.readFileSync(path.join(__dirname, 'module-zygote-client.py'), 'utf8')}`, { mode: 0o755 });
  const server = spawn(python, [path.join(__dirname, 'module-zygote.py'), socketPath, ...libs], { stdio: ['pipe', 'pipe', 'pipe'], env: ansibleEnv() });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const ready = out.match(/^ready (\S+) (.+)\n/m);
      if (!ready) return;
      server.stdout.off('data', onData);
      if (ready[1] !== controller.version || ready[2] !== controller.location) {
        server.kill();
        reject(new Error(`module-zygote.py preloaded ansible ${ready[1]} from ${ready[2]}; ansible-playbook runs ${controller.version} from ${controller.location}`));
        return;
      }
      resolve({
        interpreter: client,
        env: { KPAAS_MODULE_ZYGOTE: socketPath, KPAAS_MODULE_PYTHON: python },
        version: ready[1],
        stop: () => server.kill(),
      });
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', (d: Buffer) => { out += d; });
    server.on('error', reject);
    server.on('exit', (code) => reject(new Error(`module-zygote.py ended (${code}) before it was ready: ${out}`)));
  });
}

/** The name of etcd-restore.yml's task that checks `-e kpaas_etcd_restore_snapshot`. */
export const RESTORE_CHECK_TASK = 'Check the snapshot asked for';

/**
 * A play that runs etcd-restore.yml's own snapshot check (the task RESTORE_CHECK_TASK as the
 * playbook in `dir` has it, vars and assert unchanged) once for each name, failures ignored, and
 * writes `<name> accepted|refused` lines to `dest`; `snapshot` replaces kpaas_etcd_snapshot.
 * Needs LOCAL_COPY_ACTION beside the playbook (no module process is started).
 */
export function restoreCheckPlay(dir: string, host: string, names: readonly string[], dest: string, snapshot?: Record<string, string>): Record<string, unknown> {
  const plays = parse(fs.readFileSync(path.join(dir, 'playbooks/etcd-restore.yml'), 'utf8')) as Array<{ tasks?: Array<Record<string, any>> }>;
  const task = plays.flatMap((p) => p.tasks ?? []).find((t) => t.name === RESTORE_CHECK_TASK);
  if (!task) throw new Error(`etcd-restore.yml has no task "${RESTORE_CHECK_TASK}"`);
  return {
    name: `etcd-restore.yml's snapshot check, into ${path.basename(dest)}`,
    hosts: host,
    connection: 'local',
    gather_facts: false,
    tasks: [
      {
        ...task,
        vars: { ...task.vars, kpaas_etcd_restore_snapshot: '{{ item }}', ...(snapshot ? { kpaas_etcd_snapshot: snapshot } : {}) },
        loop: [...names],
        ignore_errors: true,
        register: 'kpaas_test_restore_checked',
      },
      {
        name: 'Write the verdicts',
        'ansible.builtin.copy': {
          content: "{% for r in kpaas_test_restore_checked.results %}{{ r.item | to_json }} {{ 'refused' if r.failed | default(false) else 'accepted' }}\n{% endfor %}",
          dest,
        },
      },
    ],
  };
}

/** The verdicts restoreCheckPlay wrote, by name. */
export function restoreVerdicts(dest: string): Record<string, 'accepted' | 'refused'> {
  return Object.fromEntries(fs.readFileSync(dest, 'utf8').trim().split('\n').map((l) => {
    // each name as a JSON string: one line per name, whatever the name holds
    const at = l.lastIndexOf(' ');
    return [JSON.parse(l.slice(0, at)) as string, l.slice(at + 1) as 'accepted' | 'refused'];
  }));
}
