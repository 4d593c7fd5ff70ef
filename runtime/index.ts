// The public runtime API (`shiftlab/runtime`): what compiled scripts and the executor call.
export * from './models/index.ts';
