;; out[M, N] = a[M, K] · b[K, N] (+ bias[N], then max(0, ·) if relu), float32 in TF.js's wasm memory;
;; b and out row-major, a[i, k] at a + i · aRowStride + k · aKStride bytes, so a transposed a (a weight
;; gradient's xᵀ) is read where it lies too. XNNPACK packs b whenever b is a tensor it has not seen, and in training every b is new (the
;; weights after each optimizer step, the gradients): this loop reads b where it lies. Blocks of 4 rows ×
;; 8 columns keep eight f32x4 accumulators, so each pair of b loads serves four rows; rows past the last
;; block of 4 take one row at a time, columns past the last block of 8 a scalar loop. Column blocks are
;; the outer loop, so b's K × 8 strip stays in cache while the rows of a pass over it. Sums run over k in
;; order, a product then a sum per term as in XNNPACK's wasm kernels (no fused multiply-add). Pointers are
;; byte offsets; bias 0 means none.
(module
  (import "env" "memory" (memory 0))

  ;; The eight starting accumulators of a column block: bias[col .. col + 8] or zeros.
  (func $biasAt (param $bias i32) (param $col i32) (param $half i32) (result v128)
    (if (result v128) (i32.eqz (local.get $bias))
      (then (v128.const i32x4 0 0 0 0))
      (else (v128.load (i32.add (local.get $bias)
        (i32.shl (i32.add (local.get $col) (local.get $half)) (i32.const 2)))))))

  ;; max(0, v) when relu is set (NaN stays NaN as in TF.js's relu).
  (func $activate (param $v v128) (param $relu i32) (result v128)
    (if (result v128) (local.get $relu)
      (then (f32x4.max (local.get $v) (v128.const i32x4 0 0 0 0)))
      (else (local.get $v))))

  (func (export "matmul")
    (param $a i32) (param $b i32) (param $bias i32) (param $out i32)
    (param $aRowStride i32) (param $aKStride i32) (param $m i32) (param $k i32) (param $n i32) (param $relu i32)
    (local $row i32) (local $col i32) (local $kk i32) (local $rows4 i32) (local $wide i32)
    (local $bRowBytes i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $bAt i32) (local $outAt i32)
    (local $b0 v128) (local $b1 v128) (local $s v128) (local $lo v128) (local $hi v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $sum f32)
    (local.set $bRowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $rows4 (i32.and (local.get $m) (i32.const -4)))
    (local.set $wide (i32.and (local.get $n) (i32.const -8)))

    (local.set $col (i32.const 0))
    (block $colsDone (loop $cols
      (br_if $colsDone (i32.ge_s (local.get $col) (local.get $wide)))
      (local.set $lo (call $biasAt (local.get $bias) (local.get $col) (i32.const 0)))
      (local.set $hi (call $biasAt (local.get $bias) (local.get $col) (i32.const 4)))

      ;; Four rows at a time.
      (local.set $row (i32.const 0))
      (block $blocksDone (loop $blocks
        (br_if $blocksDone (i32.ge_s (local.get $row) (local.get $rows4)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $aRowStride))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $aRowStride)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $aRowStride)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $aRowStride)))
        (local.set $bAt (i32.add (local.get $b) (i32.shl (local.get $col) (i32.const 2))))
        (local.set $c00 (local.get $lo)) (local.set $c01 (local.get $hi))
        (local.set $c10 (local.get $lo)) (local.set $c11 (local.get $hi))
        (local.set $c20 (local.get $lo)) (local.set $c21 (local.get $hi))
        (local.set $c30 (local.get $lo)) (local.set $c31 (local.get $hi))
        (local.set $kk (i32.const 0))
        (block $kDone (loop $ks
          (br_if $kDone (i32.ge_s (local.get $kk) (local.get $k)))
          (local.set $b0 (v128.load (local.get $bAt)))
          (local.set $b1 (v128.load offset=16 (local.get $bAt)))
          (local.set $s (v128.load32_splat (local.get $a0)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (v128.load32_splat (local.get $a1)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (v128.load32_splat (local.get $a2)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (v128.load32_splat (local.get $a3)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $a0 (i32.add (local.get $a0) (local.get $aKStride)))
          (local.set $a1 (i32.add (local.get $a1) (local.get $aKStride)))
          (local.set $a2 (i32.add (local.get $a2) (local.get $aKStride)))
          (local.set $a3 (i32.add (local.get $a3) (local.get $aKStride)))
          (local.set $bAt (i32.add (local.get $bAt) (local.get $bRowBytes)))
          (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
          (br $ks)))
        (local.set $outAt (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (local.get $row) (local.get $n)) (local.get $col)) (i32.const 2))))
        (v128.store (local.get $outAt) (call $activate (local.get $c00) (local.get $relu)))
        (v128.store offset=16 (local.get $outAt) (call $activate (local.get $c01) (local.get $relu)))
        (local.set $outAt (i32.add (local.get $outAt) (local.get $bRowBytes)))
        (v128.store (local.get $outAt) (call $activate (local.get $c10) (local.get $relu)))
        (v128.store offset=16 (local.get $outAt) (call $activate (local.get $c11) (local.get $relu)))
        (local.set $outAt (i32.add (local.get $outAt) (local.get $bRowBytes)))
        (v128.store (local.get $outAt) (call $activate (local.get $c20) (local.get $relu)))
        (v128.store offset=16 (local.get $outAt) (call $activate (local.get $c21) (local.get $relu)))
        (local.set $outAt (i32.add (local.get $outAt) (local.get $bRowBytes)))
        (v128.store (local.get $outAt) (call $activate (local.get $c30) (local.get $relu)))
        (v128.store offset=16 (local.get $outAt) (call $activate (local.get $c31) (local.get $relu)))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (br $blocks)))

      ;; The rows left over, one at a time.
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $row) (local.get $m)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $aRowStride))))
        (local.set $bAt (i32.add (local.get $b) (i32.shl (local.get $col) (i32.const 2))))
        (local.set $c00 (local.get $lo)) (local.set $c01 (local.get $hi))
        (local.set $kk (i32.const 0))
        (block $kDone (loop $ks
          (br_if $kDone (i32.ge_s (local.get $kk) (local.get $k)))
          (local.set $s (v128.load32_splat (local.get $a0)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (v128.load (local.get $bAt)))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bAt)))))
          (local.set $a0 (i32.add (local.get $a0) (local.get $aKStride)))
          (local.set $bAt (i32.add (local.get $bAt) (local.get $bRowBytes)))
          (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
          (br $ks)))
        (local.set $outAt (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (local.get $row) (local.get $n)) (local.get $col)) (i32.const 2))))
        (v128.store (local.get $outAt) (call $activate (local.get $c00) (local.get $relu)))
        (v128.store offset=16 (local.get $outAt) (call $activate (local.get $c01) (local.get $relu)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows)))
      (local.set $col (i32.add (local.get $col) (i32.const 8)))
      (br $cols)))

    ;; The columns left over, one output at a time.
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_s (local.get $col) (local.get $n)))
      (local.set $row (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $row) (local.get $m)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $aRowStride))))
        (local.set $bAt (i32.add (local.get $b) (i32.shl (local.get $col) (i32.const 2))))
        (local.set $sum (if (result f32) (i32.eqz (local.get $bias))
          (then (f32.const 0))
          (else (f32.load (i32.add (local.get $bias) (i32.shl (local.get $col) (i32.const 2)))))))
        (local.set $kk (i32.const 0))
        (block $kDone (loop $ks
          (br_if $kDone (i32.ge_s (local.get $kk) (local.get $k)))
          (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $a0)) (f32.load (local.get $bAt)))))
          (local.set $a0 (i32.add (local.get $a0) (local.get $aKStride)))
          (local.set $bAt (i32.add (local.get $bAt) (local.get $bRowBytes)))
          (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
          (br $ks)))
        (if (i32.and (local.get $relu) (f32.lt (local.get $sum) (f32.const 0)))
          (then (local.set $sum (f32.const 0))))
        (f32.store (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (local.get $row) (local.get $n)) (local.get $col)) (i32.const 2)))
          (local.get $sum))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows)))
      (local.set $col (i32.add (local.get $col) (i32.const 1)))
      (br $tail)))))
