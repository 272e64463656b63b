/** Survey mode: Prio3 reports sealed to two aggregators (see descriptor.ts, report.ts, aggregator.ts). */
export * from './b64';
export * from './errors';
export * from './descriptor';
export * from './crypto';
export * from './vdaf';
export * from './report';
export * from './aggregator';
export * from './prep-engine';
export { accelerate } from './fast-prio3';
export * from './api-client';
export * from './memory-io';
export * from './key-file';
