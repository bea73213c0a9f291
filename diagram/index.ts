export { architectureDot, ARCHITECTURE_DOT } from './architecture-dot';
export type { ArchitectureDiagramProps, DiagramService } from './architecture-dot';
export { addressSpan, drawnNodes, FIRST_NODES_DRAWN, MAX_NODES_DRAWN } from './node-ranges';
export type { DrawnNodes } from './node-ranges';
export { renderSvg, ARCHITECTURE_SVG } from './render-svg';
