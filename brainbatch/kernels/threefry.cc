// Threefry-2x32 with 20 rounds, as an XLA FFI handler (see brainbatch/kernels/README.md).
//
// JAX lowers its threefry2x32 primitive on CPU to a rolled loop of 5 iterations: a `while` with its
// own fusions for every fold_in, split and draw, which XLA:CPU compiles one by one. This is the same
// hash as one call: four uint32 arrays of one shape (key words k1, k2 and counts x1, x2; the lowering
// broadcasts them) in, two out. The element loop is branch-free, so the compiler vectorizes it.
// Bit for bit what JAX computes (jax/_src/random/threefry2x32.py, `_threefry2x32_lowering`):
// ks2 = k1 ^ k2 ^ 0x1BD11BDA, rotations 13 15 26 6 / 17 29 16 24, a key injection (+i+1 on the
// second word) after each group of four rounds.
#include <cstdint>

#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

inline uint32_t Rotl(uint32_t v, int r) { return (v << r) | (v >> (32 - r)); }

#define BB_ROUND(r) \
  a += b;           \
  b = Rotl(b, r);   \
  b ^= a;

// x86-64 Linux with GCC: also an AVX2 build of the loop (8 lanes instead of SSE2's 4), picked at load.
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void Hash(const uint32_t* __restrict k1, const uint32_t* __restrict k2, const uint32_t* __restrict x1,
          const uint32_t* __restrict x2, uint32_t* __restrict y1, uint32_t* __restrict y2, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t ks0 = k1[i], ks1 = k2[i], ks2 = ks0 ^ ks1 ^ 0x1BD11BDAu;
    uint32_t a = x1[i] + ks0, b = x2[i] + ks1;
    BB_ROUND(13) BB_ROUND(15) BB_ROUND(26) BB_ROUND(6)
    a += ks1; b += ks2 + 1u;
    BB_ROUND(17) BB_ROUND(29) BB_ROUND(16) BB_ROUND(24)
    a += ks2; b += ks0 + 2u;
    BB_ROUND(13) BB_ROUND(15) BB_ROUND(26) BB_ROUND(6)
    a += ks0; b += ks1 + 3u;
    BB_ROUND(17) BB_ROUND(29) BB_ROUND(16) BB_ROUND(24)
    a += ks1; b += ks2 + 4u;
    BB_ROUND(13) BB_ROUND(15) BB_ROUND(26) BB_ROUND(6)
    a += ks2; b += ks0 + 5u;
    y1[i] = a;
    y2[i] = b;
  }
}

#undef BB_ROUND

ffi::Error Threefry2x32(ffi::Buffer<ffi::U32> k1, ffi::Buffer<ffi::U32> k2, ffi::Buffer<ffi::U32> x1,
                        ffi::Buffer<ffi::U32> x2, ffi::ResultBuffer<ffi::U32> y1,
                        ffi::ResultBuffer<ffi::U32> y2) {
  const int64_t n = static_cast<int64_t>(y1->element_count());
  if (static_cast<int64_t>(k1.element_count()) != n || static_cast<int64_t>(k2.element_count()) != n ||
      static_cast<int64_t>(x1.element_count()) != n || static_cast<int64_t>(x2.element_count()) != n ||
      static_cast<int64_t>(y2->element_count()) != n)
    return ffi::Error::InvalidArgument("bb_threefry2x32: all operands must have the output's shape");
  Hash(k1.typed_data(), k2.typed_data(), x1.typed_data(), x2.typed_data(), y1->typed_data(), y2->typed_data(), n);
  return ffi::Error::Success();
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbThreefry2x32, Threefry2x32,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::U32>>()
                                  .Arg<ffi::Buffer<ffi::U32>>()
                                  .Arg<ffi::Buffer<ffi::U32>>()
                                  .Arg<ffi::Buffer<ffi::U32>>()
                                  .Ret<ffi::Buffer<ffi::U32>>()
                                  .Ret<ffi::Buffer<ffi::U32>>());
