// Small studies for the planner tests, written out by hand in several equivalent spellings.

/** The base study: every job kind but support-split (the examples cover that one). */
export const STUDY = `// a toy study
study toy {
  seed 7

  data points = gaussian { dim 8, classes 2, train 600, test 300 }

  distribution reference = points
  distribution outside = points | rotate_subspace { degrees 60 }
  distribution wide = points | limit 400

  shift leave: out_of_support = reference -> outside

  model linear = mlp { hidden [4] }
  recipe fit { optimizer adam, lr 1e-2, batch 100, epochs 4 }
  recipe tune { optimizer adam, lr 3e-3, batch 100, epochs 2 }

  pretrain broad { model linear, data wide, recipe fit }

  baseline scratch { model linear, train reference, recipe fit, checkpoints 1..4, copies 2 }
  arm tuned {
    init broad
    train reference
    recipe tune
    sweep lr [1e-2, 1e-3] select accuracy on reference.val
    copies 2
  }
  arm reweighted { init scratch, reweight last_layer on reference.val balanced_by [label] }

  compare er { arms [tuned, reweighted], baseline scratch, shifts [leave], metric accuracy }
  expect er.tuned.leave > 0
  expect abs(er.reweighted.leave) < 5%
}
`;

/** The same study: reformatted, commented, attributes and declarations reordered. */
export const SHUFFLED = `study toy {
  /* declarations in another order */
  expect abs(er.reweighted.leave)<5%
  expect er.tuned.leave>0
  compare er {
    baseline scratch
    metric accuracy
    shifts [leave]
    arms [tuned, reweighted]
  }
  arm reweighted { reweight last_layer on reference.val balanced_by [label], init scratch }
  arm tuned { copies 2, sweep lr [1e-2, 1e-3] select accuracy on reference.val, recipe tune, train reference, init broad }
  baseline scratch { copies 2, checkpoints 1..4, recipe fit, train reference, model linear }
  pretrain broad { recipe fit, data wide, model linear }
  recipe tune { epochs 2, batch 100, lr 3e-3, optimizer adam }
  recipe fit { epochs 4, batch 100, lr 1e-2, optimizer adam }   // same recipe
  model linear = mlp { hidden [4] }
  shift leave: out_of_support = reference -> outside
  distribution wide = points | limit 400
  distribution outside = points | rotate_subspace { degrees 60 }
  distribution reference = points
  data points = gaussian { test 300, train 600, classes 2, dim 8 }
  seed 7
}
`;

/** Every declaration renamed. */
export const RENAMED = STUDY.replace(/\bpoints\b/g, 'samples')
  .replace(/\breference\b/g, 'source_dist')
  .replace(/\boutside\b/g, 'rotated')
  .replace(/\bwide\b/g, 'fewer')
  .replace(/\bleave\b/g, 'leaving')
  .replace(/\blinear\b/g, 'small')
  .replace(/\bfit\b/g, 'long_fit')
  .replace(/\btune\b/g, 'short_fit')
  .replace(/\bbroad\b/g, 'pre')
  .replace(/\bscratch\b/g, 'line')
  .replace(/\btuned\b/g, 'fine')
  .replace(/\breweighted\b/g, 'dfr')
  .replace(/\ber\b/g, 'gains');
