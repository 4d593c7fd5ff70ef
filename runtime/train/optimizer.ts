// Optimisers written on tf ops rather than tf.train's, because the learning rate changes every step
// (schedules), AdamW needs decoupled weight decay, and gradient clipping needs all gradients at once.
import * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../backend/wasm-kernels/adam.ts';
import type { RecipeSpec } from './recipe.ts';

export interface Optimizer {
  /** One update of `variables` with `gradients` (same order) at learning rate `lr`. */
  step(variables: tf.Variable[], gradients: tf.Tensor[], lr: number): void;
  dispose(): void;
}

export function makeOptimizer(spec: RecipeSpec): Optimizer {
  return spec.optimizer === 'sgd'
    ? new Sgd(spec.momentum, spec.weight_decay)
    : new Adam(spec.weight_decay, spec.optimizer === 'adamw');
}

/** Scales the gradients so that their global L2 norm is at most `maxNorm` (0 = leave them). */
export function clipByGlobalNorm(gradients: tf.Tensor[], maxNorm: number): tf.Tensor[] {
  if (maxNorm <= 0) return gradients;
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.minimum(1, tf.div(maxNorm, tf.maximum(norm, 1e-12)));
    return gradients.map((g) => tf.mul(g, scale));
  });
}

/** State variables per trained variable, created on first use. */
class Slots {
  private readonly slots = new Map<tf.Variable, tf.Variable[]>();
  constructor(private readonly count: number) {}
  of(variable: tf.Variable): tf.Variable[] {
    let state = this.slots.get(variable);
    if (!state) {
      state = Array.from({ length: this.count }, () => tf.variable(tf.zerosLike(variable), false));
      this.slots.set(variable, state);
    }
    return state;
  }
  dispose(): void {
    for (const state of this.slots.values()) state.forEach((v) => v.dispose());
    this.slots.clear();
  }
}

class Sgd implements Optimizer {
  private readonly slots = new Slots(1);
  constructor(
    private readonly momentum: number,
    private readonly weightDecay: number,
  ) {}
  step(variables: tf.Variable[], gradients: tf.Tensor[], lr: number): void {
    variables.forEach((variable, i) => {
      const [velocity] = this.slots.of(variable);
      tf.tidy(() => {
        const g = this.weightDecay > 0 ? tf.add(gradients[i], tf.mul(variable, this.weightDecay)) : gradients[i];
        const v = tf.add(tf.mul(velocity, this.momentum), g);
        velocity.assign(v);
        variable.assign(tf.sub(variable, tf.mul(v, lr)));
      });
    });
  }
  dispose(): void {
    this.slots.dispose();
  }
}

class Adam implements Optimizer {
  private readonly slots = new Slots(2);
  private t = 0;
  private readonly beta1 = 0.9;
  private readonly beta2 = 0.999;
  private readonly epsilon = 1e-8;
  /** L2 term added to the gradient (adam) or decay added to the update (adamw); the other is 0. */
  private readonly coupledDecay: number;
  private readonly decoupledDecay: number;
  constructor(weightDecay: number, decoupled: boolean) {
    this.coupledDecay = decoupled ? 0 : weightDecay;
    this.decoupledDecay = decoupled ? weightDecay : 0;
  }
  step(variables: tf.Variable[], gradients: tf.Tensor[], lr: number): void {
    this.t++;
    const correction1 = 1 - this.beta1 ** this.t;
    const correction2 = 1 - this.beta2 ** this.t;
    // One SIMD pass per variable where the backend has it (the same numbers; see wasm-kernels/adam.ts).
    const fused = tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
    const attrs: AdamUpdateAttrs | undefined = fused
      ? {
          beta1: this.beta1,
          beta2: this.beta2,
          epsilon: this.epsilon,
          lr,
          correction1,
          correction2,
          coupledDecay: this.coupledDecay,
          decoupledDecay: this.decoupledDecay,
        }
      : undefined;
    variables.forEach((variable, i) => {
      const [m, v] = this.slots.of(variable);
      tf.tidy(() => {
        if (attrs) {
          const inputs = { x: variable, g: gradients[i], m, v };
          const [x, mNext, vNext] = tf.engine().runKernel(ADAM_UPDATE, inputs, attrs) as tf.Tensor[];
          m.assign(mNext);
          v.assign(vNext);
          variable.assign(x);
          return;
        }
        const g = this.coupledDecay > 0 ? tf.add(gradients[i], tf.mul(variable, this.coupledDecay)) : gradients[i];
        const mNext = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const vNext = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(mNext);
        v.assign(vNext);
        let update = tf.div(tf.div(mNext, correction1), tf.add(tf.sqrt(tf.div(vNext, correction2)), this.epsilon));
        if (this.decoupledDecay > 0) update = tf.add(update, tf.mul(variable, this.decoupledDecay));
        variable.assign(tf.sub(variable, tf.mul(update, lr)));
      });
    });
  }
  dispose(): void {
    this.slots.dispose();
  }
}
