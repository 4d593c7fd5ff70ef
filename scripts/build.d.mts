// Types of what scripts/build.mjs exports (bench/lib/built.ts bundles bench modules with the same externals).
export const entries: Record<string, string>;
export const external: string[];
export function build(): Promise<void>;
