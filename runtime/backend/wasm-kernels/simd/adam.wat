;; One Adam update of a float32 variable in one pass, in TF.js's wasm memory: the same operations in the
;; same order as runtime/train/optimizer.ts's op-by-op update (each one rounded to float32), so the
;; results are the same numbers, without its ten element-wise passes over the variable's size:
;;   g' = g + x · decay (coupled decay), m' = m · β1 + g' · (1 − β1), v' = v · β2 + g'² · (1 − β2),
;;   u = (m' / c1) / (√(v' / c2) + ε) (+ x · decay if decoupled), x' = x − u · lr.
;; Pointers are byte offsets; coefficients arrive already rounded to float32.
(module
  (import "env" "memory" (memory 0))

  (func (export "adam")
    (param $x i32) (param $g i32) (param $m i32) (param $v i32)
    (param $xOut i32) (param $mOut i32) (param $vOut i32) (param $count i32)
    (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $c1 f32) (param $c2 f32) (param $epsilon f32) (param $lr f32)
    (param $coupledDecay f32) (param $decoupledDecay f32)
    (local $at i32) (local $end i32) (local $wide i32)
    (local $xs v128) (local $gs v128) (local $ms v128) (local $vs v128) (local $us v128)
    (local $xf f32) (local $gf f32) (local $mf f32) (local $vf f32) (local $uf f32)
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (local.set $wide (i32.and (local.get $end) (i32.const -16)))
    (local.set $at (i32.const 0))
    (block $wideDone (loop $wideLoop
      (br_if $wideDone (i32.ge_u (local.get $at) (local.get $wide)))
      (local.set $xs (v128.load (i32.add (local.get $x) (local.get $at))))
      (local.set $gs (v128.load (i32.add (local.get $g) (local.get $at))))
      (if (f32.ne (local.get $coupledDecay) (f32.const 0))
        (then (local.set $gs (f32x4.add (local.get $gs)
          (f32x4.mul (local.get $xs) (f32x4.splat (local.get $coupledDecay)))))))
      (local.set $ms (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (f32x4.splat (local.get $beta1)))
        (f32x4.mul (local.get $gs) (f32x4.splat (local.get $oneMinusBeta1)))))
      (local.set $vs (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (f32x4.splat (local.get $beta2)))
        (f32x4.mul (f32x4.mul (local.get $gs) (local.get $gs)) (f32x4.splat (local.get $oneMinusBeta2)))))
      (v128.store (i32.add (local.get $mOut) (local.get $at)) (local.get $ms))
      (v128.store (i32.add (local.get $vOut) (local.get $at)) (local.get $vs))
      (local.set $us (f32x4.div
        (f32x4.div (local.get $ms) (f32x4.splat (local.get $c1)))
        (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vs) (f32x4.splat (local.get $c2))))
          (f32x4.splat (local.get $epsilon)))))
      (if (f32.ne (local.get $decoupledDecay) (f32.const 0))
        (then (local.set $us (f32x4.add (local.get $us)
          (f32x4.mul (local.get $xs) (f32x4.splat (local.get $decoupledDecay)))))))
      (v128.store (i32.add (local.get $xOut) (local.get $at))
        (f32x4.sub (local.get $xs) (f32x4.mul (local.get $us) (f32x4.splat (local.get $lr)))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $wideLoop)))
    (block $done (loop $tail
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $xf (f32.load (i32.add (local.get $x) (local.get $at))))
      (local.set $gf (f32.load (i32.add (local.get $g) (local.get $at))))
      (if (f32.ne (local.get $coupledDecay) (f32.const 0))
        (then (local.set $gf (f32.add (local.get $gf) (f32.mul (local.get $xf) (local.get $coupledDecay))))))
      (local.set $mf (f32.add (f32.mul (f32.load (i32.add (local.get $m) (local.get $at))) (local.get $beta1))
        (f32.mul (local.get $gf) (local.get $oneMinusBeta1))))
      (local.set $vf (f32.add (f32.mul (f32.load (i32.add (local.get $v) (local.get $at))) (local.get $beta2))
        (f32.mul (f32.mul (local.get $gf) (local.get $gf)) (local.get $oneMinusBeta2))))
      (f32.store (i32.add (local.get $mOut) (local.get $at)) (local.get $mf))
      (f32.store (i32.add (local.get $vOut) (local.get $at)) (local.get $vf))
      (local.set $uf (f32.div (f32.div (local.get $mf) (local.get $c1))
        (f32.add (f32.sqrt (f32.div (local.get $vf) (local.get $c2))) (local.get $epsilon))))
      (if (f32.ne (local.get $decoupledDecay) (f32.const 0))
        (then (local.set $uf (f32.add (local.get $uf) (f32.mul (local.get $xf) (local.get $decoupledDecay))))))
      (f32.store (i32.add (local.get $xOut) (local.get $at))
        (f32.sub (local.get $xf) (f32.mul (local.get $uf) (local.get $lr))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $tail)))))
