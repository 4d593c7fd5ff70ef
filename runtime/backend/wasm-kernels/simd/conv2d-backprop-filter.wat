;; The filter gradient of an NHWC float32 convolution in TF.js's wasm memory, without an im2col copy:
;; dW[i, j, ci, co] += Σ over output positions (b, r, c) of x[b, r·sh + i − top, c·sw + j − left, ci] · dy[b, r, c, co],
;; skipping positions whose input falls in the padding (their term is 0). Output rows go in chunks of
;; `chunkRows` (b, r) rows, so dy's chunk stays in L1 while every (i, j, ci) passes over it. dW rows take 16
;; output channels at a time, two input channels together (eight f32x4 accumulators, each load of dy used
;; twice), then 4 channels, then 1. Terms are added in (b, r, c) order,
;; a product then a sum each (no fused multiply-add). Pointers are byte offsets; dW starts zero-filled.
(module
  (import "env" "memory" (memory 0))

  ;; Where x[b, r·sh + i − top, cLo·sw + j − left, ci] lies for output row q = b·ho + r (a byte offset), or 0
  ;; when that input row is in the padding (a tensor never starts at offset 0).
  (func $inputAt
    (param $x i32) (param $q i32) (param $ho i32) (param $h i32) (param $w i32) (param $cin i32) (param $sh i32)
    (param $sw i32) (param $i i32) (param $j i32) (param $top i32) (param $left i32) (param $cLo i32) (param $ci i32)
    (result i32)
    (local $b i32) (local $row i32)
    (local.set $b (i32.div_u (local.get $q) (local.get $ho)))
    (local.set $row (i32.sub (i32.add (i32.mul (i32.sub (local.get $q) (i32.mul (local.get $b) (local.get $ho)))
      (local.get $sh)) (local.get $i)) (local.get $top)))
    ;; Unsigned: a row above the image wraps to a large number.
    (if (result i32) (i32.lt_u (local.get $row) (local.get $h))
      (then
        (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (i32.sub (i32.add (i32.mul
          (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $row)) (local.get $w))
          (i32.mul (local.get $cLo) (local.get $sw))) (i32.sub (local.get $left) (local.get $j)))
          (local.get $cin)) (local.get $ci)) (i32.const 2))))
      (else (i32.const 0))))

  (func (export "conv2dBackpropFilter")
    (param $x i32) (param $dy i32) (param $dW i32)
    (param $n i32) (param $h i32) (param $w i32) (param $cin i32) (param $ho i32) (param $wo i32)
    (param $sh i32) (param $sw i32) (param $kh i32) (param $kw i32) (param $top i32) (param $left i32)
    (param $cout i32) (param $chunkRows i32)
    (local $q0 i32) (local $q1 i32) (local $q i32)
    (local $i i32) (local $j i32) (local $ci i32) (local $col i32) (local $c i32) (local $cLo i32) (local $cHi i32)
    (local $xp i32) (local $dp i32) (local $dwAt i32) (local $xStep i32) (local $dyStep i32)
    (local $wide i32) (local $narrow i32) (local $sum f32)
    (local $dwNext i32)
    (local $s v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $t v128) (local $bcc0 v128) (local $bcc1 v128) (local $bcc2 v128) (local $bcc3 v128)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local.set $xStep (i32.shl (i32.mul (local.get $sw) (local.get $cin)) (i32.const 2)))
    (local.set $dyStep (i32.shl (local.get $cout) (i32.const 2)))
    (local.set $wide (i32.and (local.get $cout) (i32.const -16)))
    (local.set $narrow (i32.and (local.get $cout) (i32.const -4)))
    (local.set $q0 (i32.const 0))
    (block $chunksDone (loop $chunk
      (br_if $chunksDone (i32.ge_s (local.get $q0) (i32.mul (local.get $n) (local.get $ho))))
      (local.set $q1 (i32.add (local.get $q0) (local.get $chunkRows)))
      (local.set $q1 (select (local.get $q1) (i32.mul (local.get $n) (local.get $ho))
        (i32.lt_s (local.get $q1) (i32.mul (local.get $n) (local.get $ho)))))
      (local.set $i (i32.const 0))
      (block $iDone (loop $iLoop
        (br_if $iDone (i32.ge_s (local.get $i) (local.get $kh)))
        (local.set $j (i32.const 0))
        (block $jDone (loop $jLoop
          (br_if $jDone (i32.ge_s (local.get $j) (local.get $kw)))
          ;; Output columns whose input column c·sw + j − left lies inside the image: [cLo, cHi).
          (local.set $cLo (select (i32.const 0)
            (i32.div_u (i32.add (i32.sub (local.get $left) (local.get $j)) (i32.sub (local.get $sw) (i32.const 1)))
              (local.get $sw))
            (i32.ge_s (local.get $j) (local.get $left))))
          (local.set $cHi (i32.sub (i32.add (i32.sub (local.get $w) (i32.const 1)) (local.get $left)) (local.get $j)))
          (local.set $cHi (select
            (i32.add (i32.div_u (local.get $cHi) (local.get $sw)) (i32.const 1))
            (i32.const 0)
            (i32.ge_s (local.get $cHi) (i32.const 0))))
          (local.set $cHi (select (local.get $cHi) (local.get $wo) (i32.lt_s (local.get $cHi) (local.get $wo))))
          (local.set $ci (i32.const 0))
          (block $ciDone (loop $ciLoop
            (br_if $ciDone (i32.ge_s (local.get $ci) (local.get $cin)))
            (local.set $dwAt (i32.add (local.get $dW) (i32.shl (i32.mul (i32.add (i32.mul (i32.add
              (i32.mul (local.get $i) (local.get $kw)) (local.get $j)) (local.get $cin)) (local.get $ci))
              (local.get $cout)) (i32.const 2))))
            ;; 16 output channels at a time for input channels ci and ci + 1 together (two dW rows, eight
            ;; accumulators: each dy load serves both), or for ci alone when it is the last one; odd ci were
            ;; done with their pair.
            (local.set $col (i32.const 0))
            (if (i32.eqz (i32.and (local.get $ci) (i32.const 1)))
              (then
                (if (i32.lt_s (i32.add (local.get $ci) (i32.const 1)) (local.get $cin))
                  (then
                    (block $pairDone (loop $pairCols
                      (br_if $pairDone (i32.ge_s (local.get $col) (local.get $wide)))
                      (local.set $dwNext (i32.add (local.get $dwAt) (local.get $dyStep)))
                      (local.set $acc0 (v128.load (local.get $dwAt)))
                      (local.set $acc1 (v128.load offset=16 (local.get $dwAt)))
                      (local.set $acc2 (v128.load offset=32 (local.get $dwAt)))
                      (local.set $acc3 (v128.load offset=48 (local.get $dwAt)))
                      (local.set $bcc0 (v128.load (local.get $dwNext)))
                      (local.set $bcc1 (v128.load offset=16 (local.get $dwNext)))
                      (local.set $bcc2 (v128.load offset=32 (local.get $dwNext)))
                      (local.set $bcc3 (v128.load offset=48 (local.get $dwNext)))
                      (local.set $q (local.get $q0))
                      (block $qDone (loop $qLoop
                        (br_if $qDone (i32.ge_s (local.get $q) (local.get $q1)))
                        (local.set $xp (call $inputAt (local.get $x) (local.get $q) (local.get $ho) (local.get $h) (local.get $w)
                          (local.get $cin) (local.get $sh) (local.get $sw) (local.get $i) (local.get $j) (local.get $top) (local.get $left)
                          (local.get $cLo) (local.get $ci)))
                        (if (local.get $xp)
                          (then
                            (local.set $dp (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul (i32.add
                              (i32.mul (local.get $q) (local.get $wo)) (local.get $cLo)) (local.get $cout)) (local.get $col)) (i32.const 2))))
                            (local.set $c (local.get $cLo))
                            (block $cDone (loop $cLoop
                              (br_if $cDone (i32.ge_s (local.get $c) (local.get $cHi)))
                              (local.set $s (v128.load32_splat (local.get $xp)))
                              (local.set $t (v128.load32_splat offset=4 (local.get $xp)))
                              (local.set $d0 (v128.load (local.get $dp)))
                              (local.set $d1 (v128.load offset=16 (local.get $dp)))
                              (local.set $d2 (v128.load offset=32 (local.get $dp)))
                              (local.set $d3 (v128.load offset=48 (local.get $dp)))
                              (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (local.get $d0))))
                              (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (local.get $d1))))
                              (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (local.get $d2))))
                              (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (local.get $d3))))
                              (local.set $bcc0 (f32x4.add (local.get $bcc0) (f32x4.mul (local.get $t) (local.get $d0))))
                              (local.set $bcc1 (f32x4.add (local.get $bcc1) (f32x4.mul (local.get $t) (local.get $d1))))
                              (local.set $bcc2 (f32x4.add (local.get $bcc2) (f32x4.mul (local.get $t) (local.get $d2))))
                              (local.set $bcc3 (f32x4.add (local.get $bcc3) (f32x4.mul (local.get $t) (local.get $d3))))
                              (local.set $xp (i32.add (local.get $xp) (local.get $xStep)))
                              (local.set $dp (i32.add (local.get $dp) (local.get $dyStep)))
                              (local.set $c (i32.add (local.get $c) (i32.const 1)))
                              (br $cLoop)))))
                        (local.set $q (i32.add (local.get $q) (i32.const 1)))
                        (br $qLoop)))
                      (v128.store (local.get $dwAt) (local.get $acc0))
                      (v128.store offset=16 (local.get $dwAt) (local.get $acc1))
                      (v128.store offset=32 (local.get $dwAt) (local.get $acc2))
                      (v128.store offset=48 (local.get $dwAt) (local.get $acc3))
                      (v128.store (local.get $dwNext) (local.get $bcc0))
                      (v128.store offset=16 (local.get $dwNext) (local.get $bcc1))
                      (v128.store offset=32 (local.get $dwNext) (local.get $bcc2))
                      (v128.store offset=48 (local.get $dwNext) (local.get $bcc3))
                      (local.set $dwAt (i32.add (local.get $dwAt) (i32.const 64)))
                      (local.set $col (i32.add (local.get $col) (i32.const 16)))
                      (br $pairCols))))
                  (else
                    (block $wideDone (loop $wideCols
                      (br_if $wideDone (i32.ge_s (local.get $col) (local.get $wide)))
                      (local.set $acc0 (v128.load (local.get $dwAt)))
                      (local.set $acc1 (v128.load offset=16 (local.get $dwAt)))
                      (local.set $acc2 (v128.load offset=32 (local.get $dwAt)))
                      (local.set $acc3 (v128.load offset=48 (local.get $dwAt)))
                      (local.set $q (local.get $q0))
                      (block $qDone (loop $qLoop
                        (br_if $qDone (i32.ge_s (local.get $q) (local.get $q1)))
                        (local.set $xp (call $inputAt (local.get $x) (local.get $q) (local.get $ho) (local.get $h) (local.get $w)
                          (local.get $cin) (local.get $sh) (local.get $sw) (local.get $i) (local.get $j) (local.get $top) (local.get $left)
                          (local.get $cLo) (local.get $ci)))
                        (if (local.get $xp)
                          (then
                            (local.set $dp (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul (i32.add
                              (i32.mul (local.get $q) (local.get $wo)) (local.get $cLo)) (local.get $cout)) (local.get $col)) (i32.const 2))))
                            (local.set $c (local.get $cLo))
                            (block $cDone (loop $cLoop
                              (br_if $cDone (i32.ge_s (local.get $c) (local.get $cHi)))
                              (local.set $s (v128.load32_splat (local.get $xp)))
                              (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load (local.get $dp)))))
                              (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $dp)))))
                              (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $dp)))))
                              (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $dp)))))
                              (local.set $xp (i32.add (local.get $xp) (local.get $xStep)))
                              (local.set $dp (i32.add (local.get $dp) (local.get $dyStep)))
                              (local.set $c (i32.add (local.get $c) (i32.const 1)))
                              (br $cLoop)))))
                        (local.set $q (i32.add (local.get $q) (i32.const 1)))
                        (br $qLoop)))
                      (v128.store (local.get $dwAt) (local.get $acc0))
                      (v128.store offset=16 (local.get $dwAt) (local.get $acc1))
                      (v128.store offset=32 (local.get $dwAt) (local.get $acc2))
                      (v128.store offset=48 (local.get $dwAt) (local.get $acc3))
                      (local.set $dwAt (i32.add (local.get $dwAt) (i32.const 64)))
                      (local.set $col (i32.add (local.get $col) (i32.const 16)))
                      (br $wideCols)))))))
            ;; dwAt and col stand at the first narrow column of this ci's row.
            (local.set $col (local.get $wide))
            (local.set $dwAt (i32.add (local.get $dW) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add
              (i32.mul (local.get $i) (local.get $kw)) (local.get $j)) (local.get $cin)) (local.get $ci))
              (local.get $cout)) (local.get $wide)) (i32.const 2))))
            (block $narrowDone (loop $narrowCols
              (br_if $narrowDone (i32.ge_s (local.get $col) (local.get $narrow)))
              (local.set $acc0 (v128.load (local.get $dwAt)))
              (local.set $q (local.get $q0))
              (block $qDone (loop $qLoop
                (br_if $qDone (i32.ge_s (local.get $q) (local.get $q1)))
                (local.set $xp (call $inputAt (local.get $x) (local.get $q) (local.get $ho) (local.get $h) (local.get $w)
                  (local.get $cin) (local.get $sh) (local.get $sw) (local.get $i) (local.get $j) (local.get $top) (local.get $left)
                  (local.get $cLo) (local.get $ci)))
                (if (local.get $xp)
                  (then
                    (local.set $dp (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul (i32.add
                      (i32.mul (local.get $q) (local.get $wo)) (local.get $cLo)) (local.get $cout)) (local.get $col)) (i32.const 2))))
                    (local.set $c (local.get $cLo))
                    (block $cDone (loop $cLoop
                      (br_if $cDone (i32.ge_s (local.get $c) (local.get $cHi)))
                      (local.set $acc0 (f32x4.add (local.get $acc0)
                        (f32x4.mul (v128.load32_splat (local.get $xp)) (v128.load (local.get $dp)))))
                      (local.set $xp (i32.add (local.get $xp) (local.get $xStep)))
                      (local.set $dp (i32.add (local.get $dp) (local.get $dyStep)))
                      (local.set $c (i32.add (local.get $c) (i32.const 1)))
                      (br $cLoop)))))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $qLoop)))
              (v128.store (local.get $dwAt) (local.get $acc0))
              (local.set $dwAt (i32.add (local.get $dwAt) (i32.const 16)))
              (local.set $col (i32.add (local.get $col) (i32.const 4)))
              (br $narrowCols)))
            (block $singleDone (loop $singleCols
              (br_if $singleDone (i32.ge_s (local.get $col) (local.get $cout)))
              (local.set $sum (f32.load (local.get $dwAt)))
              (local.set $q (local.get $q0))
              (block $qDone (loop $qLoop
                (br_if $qDone (i32.ge_s (local.get $q) (local.get $q1)))
                (local.set $xp (call $inputAt (local.get $x) (local.get $q) (local.get $ho) (local.get $h) (local.get $w)
                  (local.get $cin) (local.get $sh) (local.get $sw) (local.get $i) (local.get $j) (local.get $top) (local.get $left)
                  (local.get $cLo) (local.get $ci)))
                (if (local.get $xp)
                  (then
                    (local.set $dp (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul (i32.add
                      (i32.mul (local.get $q) (local.get $wo)) (local.get $cLo)) (local.get $cout)) (local.get $col)) (i32.const 2))))
                    (local.set $c (local.get $cLo))
                    (block $cDone (loop $cLoop
                      (br_if $cDone (i32.ge_s (local.get $c) (local.get $cHi)))
                      (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $xp)) (f32.load (local.get $dp)))))
                      (local.set $xp (i32.add (local.get $xp) (local.get $xStep)))
                      (local.set $dp (i32.add (local.get $dp) (local.get $dyStep)))
                      (local.set $c (i32.add (local.get $c) (i32.const 1)))
                      (br $cLoop)))))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $qLoop)))
              (f32.store (local.get $dwAt) (local.get $sum))
              (local.set $dwAt (i32.add (local.get $dwAt) (i32.const 4)))
              (local.set $col (i32.add (local.get $col) (i32.const 1)))
              (br $singleCols)))
            (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
            (br $ciLoop)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iLoop)))
      (local.set $q0 (local.get $q1))
      (br $chunk)))))
