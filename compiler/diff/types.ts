// The computed diff, as the engine (index.ts) returns it and the renderers (render.ts) read it. Its own
// module so that neither of the two imports the other.
import type { ChangeImpact, Impact } from './impact.ts';

export interface StudyDiff {
  old: { file: string; study: string };
  new: { file: string; study: string };
  changes: ChangeImpact[];
  total: Impact;
}
