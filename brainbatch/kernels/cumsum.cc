// Cumulative sums along the last axis, as XLA FFI handlers (see brainbatch/kernels/README.md).
//
// jnp.cumsum lowers to a reduce-window that XLA:CPU rewrites into a blocked two-level scan: about
// five fusions per cumulative sum, each compiled on its own, in every connectivity build. Here it is
// one loop per row. Only for sums that are exact in any order (int32, which wraps; float32 whole
// numbers whose partial sums stay below 2**24): then the result is bitwise what XLA computes.
#include <cstdint>

#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

template <typename T>
void Rows(const T* __restrict x, T* __restrict y, int64_t rows, int64_t n) {
  for (int64_t r = 0; r < rows; ++r) {
    T acc = 0;
    for (int64_t i = 0; i < n; ++i) {
      acc += x[r * n + i];
      y[r * n + i] = acc;
    }
  }
}

int64_t LastDim(const ffi::AnyBuffer::Dimensions& dims) { return dims.size() == 0 ? 1 : dims.back(); }

// T: the buffer's element type; Acc: how it is added (int32 as uint32, so that it wraps as XLA's does)
template <ffi::DataType T, typename Acc>
ffi::Error Cumsum(ffi::Buffer<T> x, ffi::ResultBuffer<T> y) {
  const int64_t total = static_cast<int64_t>(x.element_count()), n = LastDim(x.dimensions());
  if (static_cast<int64_t>(y->element_count()) != total)
    return ffi::Error::InvalidArgument("bb_cumsum: the output must have the input's shape");
  if (total == 0) return ffi::Error::Success();
  Rows(reinterpret_cast<const Acc*>(x.typed_data()), reinterpret_cast<Acc*>(y->typed_data()), total / n, n);
  return ffi::Error::Success();
}

ffi::Error CumsumI32(ffi::Buffer<ffi::S32> x, ffi::ResultBuffer<ffi::S32> y) { return Cumsum<ffi::S32, uint32_t>(x, y); }

ffi::Error CumsumF32(ffi::Buffer<ffi::F32> x, ffi::ResultBuffer<ffi::F32> y) { return Cumsum<ffi::F32, float>(x, y); }

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbCumsumI32, CumsumI32,
                              ffi::Ffi::Bind().Arg<ffi::Buffer<ffi::S32>>().Ret<ffi::Buffer<ffi::S32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbCumsumF32, CumsumF32,
                              ffi::Ffi::Bind().Arg<ffi::Buffer<ffi::F32>>().Ret<ffi::Buffer<ffi::F32>>());
