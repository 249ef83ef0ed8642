// Threefry-2x32 with 20 rounds, as an XLA FFI handler (see brainbatch/kernels/README.md).
//
// JAX lowers its threefry2x32 primitive on CPU to a rolled loop of 5 iterations: a `while` with its
// own fusions for every fold_in, split and draw, which XLA:CPU compiles one by one. This is the same
// hash as one call: four uint32 arrays of one shape (key words k1, k2 and counts x1, x2; the lowering
// broadcasts them) in, two out. The element loop is branch-free, so the compiler vectorizes it.
// `bb_threefry_bits` is the whole of a draw's hash: JAX's random_bits (partitionable threefry) hashes
// the counts (hi, lo) of a 64-bit iota over the draw's shape under each key; building those counts
// and broadcasting the key are four more fusions per draw for XLA:CPU to compile, while here they are
// a loop counter. Keys [*batch, 2] in, two words [*batch, *shape] out. `bb_threefry_split` is a split
// (or JAX's partitionable split: the same counts), the new keys' words interleaved, [*batch, *shape, 2].
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

// The 20 rounds of (a, b) under key words ks0, ks1, ks2, a key injection after each group of four.
#define BB_HASH20                                     \
  BB_ROUND(13) BB_ROUND(15) BB_ROUND(26) BB_ROUND(6)  \
  a += ks1; b += ks2 + 1u;                            \
  BB_ROUND(17) BB_ROUND(29) BB_ROUND(16) BB_ROUND(24) \
  a += ks2; b += ks0 + 2u;                            \
  BB_ROUND(13) BB_ROUND(15) BB_ROUND(26) BB_ROUND(6)  \
  a += ks0; b += ks1 + 3u;                            \
  BB_ROUND(17) BB_ROUND(29) BB_ROUND(16) BB_ROUND(24) \
  a += ks1; b += ks2 + 4u;                            \
  BB_ROUND(13) BB_ROUND(15) BB_ROUND(26) BB_ROUND(6)  \
  a += ks2; b += ks0 + 5u;

// x86-64 Linux with GCC: also an AVX2 build of the loop (8 lanes instead of SSE2's 4), picked at load.
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void Hash(const uint32_t* __restrict k1, const uint32_t* __restrict k2, const uint32_t* __restrict x1,
          const uint32_t* __restrict x2, uint32_t* __restrict y1, uint32_t* __restrict y2, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t ks0 = k1[i], ks1 = k2[i], ks2 = ks0 ^ ks1 ^ 0x1BD11BDAu;
    uint32_t a = x1[i] + ks0, b = x2[i] + ks1;
    BB_HASH20
    y1[i] = a;
    y2[i] = b;
  }
}

// The counts of element i of a draw: the high and low words of i (jax/_src/random/prng.py, iota_2x32_shape);
// the two words of each result go to y1[kStride * i] and y2[kStride * i] (a draw: two arrays, stride 1;
// a split: one array, its words side by side, stride 2).
template <int kStride>
inline __attribute__((always_inline)) void HashCounts(uint32_t ks0, uint32_t ks1, uint64_t n,
                                                      uint32_t* __restrict y1, uint32_t* __restrict y2) {
  const uint32_t ks2 = ks0 ^ ks1 ^ 0x1BD11BDAu;
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t a = static_cast<uint32_t>(i >> 32) + ks0, b = static_cast<uint32_t>(i) + ks1;
    BB_HASH20
    y1[kStride * i] = a;
    y2[kStride * i] = b;
  }
}

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void HashIota(uint32_t ks0, uint32_t ks1, uint64_t n, uint32_t* y1, uint32_t* y2) {
  HashCounts<1>(ks0, ks1, n, y1, y2);
}

// A split: JAX stacks the two words of each new key on a last axis.
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void HashIotaPairs(uint32_t ks0, uint32_t ks1, uint64_t n, uint32_t* y) { HashCounts<2>(ks0, ks1, n, y, y + 1); }

#undef BB_HASH20
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

ffi::Error ThreefryBits(ffi::Buffer<ffi::U32> keys, ffi::ResultBuffer<ffi::U32> y1, ffi::ResultBuffer<ffi::U32> y2) {
  const uint64_t n_keys = keys.element_count() / 2, total = y1->element_count();
  if (keys.element_count() % 2 != 0 || y2->element_count() != total || (n_keys == 0 && total != 0) ||
      (n_keys != 0 && total % n_keys != 0))
    return ffi::Error::InvalidArgument("bb_threefry_bits: keys [*batch, 2] and two outputs [*batch, *shape]");
  if (n_keys == 0) return ffi::Error::Success();
  const uint64_t n = total / n_keys;
  const uint32_t* k = keys.typed_data();
  for (uint64_t b = 0; b < n_keys; ++b)
    HashIota(k[2 * b], k[2 * b + 1], n, y1->typed_data() + b * n, y2->typed_data() + b * n);
  return ffi::Error::Success();
}

ffi::Error ThreefrySplit(ffi::Buffer<ffi::U32> keys, ffi::ResultBuffer<ffi::U32> y) {
  const uint64_t n_keys = keys.element_count() / 2, total = y->element_count();
  if (keys.element_count() % 2 != 0 || total % 2 != 0 || (n_keys == 0 && total != 0) ||
      (n_keys != 0 && (total / 2) % n_keys != 0))
    return ffi::Error::InvalidArgument("bb_threefry_split: keys [*batch, 2] and an output [*batch, *shape, 2]");
  if (n_keys == 0) return ffi::Error::Success();
  const uint64_t n = total / 2 / n_keys;
  const uint32_t* k = keys.typed_data();
  for (uint64_t b = 0; b < n_keys; ++b) HashIotaPairs(k[2 * b], k[2 * b + 1], n, y->typed_data() + 2 * b * n);
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

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbThreefryBits, ThreefryBits,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::U32>>()
                                  .Ret<ffi::Buffer<ffi::U32>>()
                                  .Ret<ffi::Buffer<ffi::U32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbThreefrySplit, ThreefrySplit,
                              ffi::Ffi::Bind().Arg<ffi::Buffer<ffi::U32>>().Ret<ffi::Buffer<ffi::U32>>());
