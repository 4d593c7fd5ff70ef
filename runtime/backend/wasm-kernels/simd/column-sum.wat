;; Column sums of a row-major float32 matrix [rows, cols] in TF.js's wasm memory (the bias gradient:
;; Σ over batch, rows and columns of [N, H, W, C]), four columns at a time. Sums accumulate in float64,
;; row by row in order, in `acc` (cols · 8 bytes of scratch), and are rounded to float32 once at the end.
;; All pointers are byte offsets.
(module
  (import "env" "memory" (memory 0))

  (func (export "columnSum") (param $x i32) (param $acc i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $rowBytes i32) (local $vecBytes i32) (local $end i32) (local $row i32) (local $d i32) (local $a i32)
    (local $v v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $vecBytes (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (local.set $d (i32.const 0))
    (block $zeroDone (loop $zero
      (br_if $zeroDone (i32.ge_u (local.get $d) (i32.shl (local.get $cols) (i32.const 3))))
      (f64.store (i32.add (local.get $acc) (local.get $d)) (f64.const 0))
      (local.set $d (i32.add (local.get $d) (i32.const 8)))
      (br $zero)))
    (local.set $row (local.get $x))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $d (i32.const 0))
      (local.set $a (local.get $acc))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $d) (local.get $vecBytes)))
        (local.set $v (v128.load (i32.add (local.get $row) (local.get $d))))
        (v128.store (local.get $a)
          (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (local.get $v))))
        (v128.store offset=16 (local.get $a)
          (f64x2.add (v128.load offset=16 (local.get $a))
            (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $d) (local.get $rowBytes)))
        (f64.store (local.get $a)
          (f64.add (f64.load (local.get $a)) (f64.promote_f32 (f32.load (i32.add (local.get $row) (local.get $d))))))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (br $tail)))
      (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
      (br $rowLoop)))
    (local.set $d (i32.const 0))
    (block $outDone (loop $outLoop
      (br_if $outDone (i32.ge_u (local.get $d) (local.get $cols)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $d) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $acc) (i32.shl (local.get $d) (i32.const 3))))))
      (local.set $d (i32.add (local.get $d) (i32.const 1)))
      (br $outLoop)))))
