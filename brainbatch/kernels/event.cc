// Event-driven spike propagation on the CPU, as XLA FFI handlers (see brainbatch/kernels/README.md).
//
// Each handler loops over the spike vector and, for every neuron that spiked, adds its row of
// synapses into the output: cost ~ n_pre/8 word tests + spikes x fan-out additions, with no
// compaction, sorting or padding traffic. Leading batch dimensions (from vmap, "expand_dims") are
// looped inside; an input whose batch dimension is 1 is shared by every lane, so one connectivity
// table serves a whole batch without copies. Rows are visited in index order and synapses in slot
// order, so a lane's result does not depend on the batch it runs in.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

// Maps a flat index over the output's batch dimensions to an element offset in one input whose
// batch dimensions are either equal to the output's or 1 (broadcast).
class BatchIndexer {
 public:
  BatchIndexer(ffi::Span<const int64_t> out_batch, ffi::Span<const int64_t> in_dims, int64_t core_size,
               bool* ok) {
    const int64_t rank = out_batch.size();
    *ok = static_cast<int64_t>(in_dims.size()) >= rank;
    if (!*ok) return;
    sizes_.assign(out_batch.begin(), out_batch.end());
    strides_.assign(rank, 0);
    int64_t stride = core_size;
    for (int64_t d = rank - 1; d >= 0; --d) {
      const int64_t n = in_dims[d];
      if (n != 1 && n != out_batch[d]) { *ok = false; return; }
      strides_[d] = n == 1 ? 0 : stride;
      stride *= n;
    }
  }
  int64_t operator()(int64_t flat) const {
    int64_t offset = 0;
    for (int64_t d = static_cast<int64_t>(sizes_.size()) - 1; d >= 0; --d) {
      offset += (flat % sizes_[d]) * strides_[d];
      flat /= sizes_[d];
    }
    return offset;
  }

 private:
  std::vector<int64_t> sizes_, strides_;
};

int64_t Product(ffi::Span<const int64_t> dims, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) p *= dims[i];
  return p;
}

// Calls fn(row) for each true entry of spike[0..n), in increasing row order, skipping 8 bytes at a time.
template <typename Fn>
inline void ForEachSpike(const bool* spike, int64_t n, Fn fn) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, spike + i, 8);
    if (word == 0) continue;
    for (int64_t j = 0; j < 8; ++j)
      if (spike[i + j]) fn(i + j);
  }
  for (; i < n; ++i)
    if (spike[i]) fn(i);
}

// Adds row `row` of (targets, weights) into out: index (t + offset) mod m for valid t in [0, m). Without
// weights each synapse adds w; with weights its weight, times w where kScaled (the row's factor).
template <bool kWeighted, bool kScaled = false>
inline void AddRow(const int32_t* targets, const float* weights, int64_t row, int64_t k, int64_t offset,
                   int64_t m, float w, float* out) {
  const int32_t* t = targets + row * k;
  const float* ws = kWeighted ? weights + row * k : nullptr;
  if (offset == 0) {
    for (int64_t s = 0; s < k; ++s) {
      const uint32_t idx = static_cast<uint32_t>(t[s]);
      if (idx < static_cast<uint64_t>(m)) out[idx] += kWeighted ? (kScaled ? ws[s] * w : ws[s]) : w;
    }
  } else {
    for (int64_t s = 0; s < k; ++s) {
      const uint32_t idx = static_cast<uint32_t>(t[s]);
      if (idx < static_cast<uint64_t>(m)) {
        int64_t j = idx + offset;
        if (j >= m) j -= m;
        out[j] += kWeighted ? (kScaled ? ws[s] * w : ws[s]) : w;
      }
    }
  }
}

// spike (..., n_pre) bool; targets (..., n_pre, K) int32; [weights (..., n_pre, K) f32]; then either
// offset (...) int32 in [0, m) or, where kScaled, scale (..., n_pre) f32 -> out (..., m) f32 = sum over spiking
// rows of their synapses (weights null: weight 1 per synapse), each row's times its scale (short-term
// plasticity: what each spike releases), at index (t + offset) mod m.
template <bool kWeighted, bool kScaled>
ffi::Error EventSum(ffi::Buffer<ffi::PRED> spike, ffi::Buffer<ffi::S32> targets, const ffi::AnyBuffer* weights,
                    const ffi::Buffer<ffi::S32>* offset, const ffi::Buffer<ffi::F32>* scale,
                    ffi::Result<ffi::Buffer<ffi::F32>>& out) {
  auto od = out->dimensions();
  if (od.size() < 1) return ffi::Error::InvalidArgument("event_sum: output needs a rank >= 1");
  const size_t rank = od.size() - 1;
  ffi::Span<const int64_t> batch(od.begin(), rank);
  const int64_t m = od[rank];
  auto sd = spike.dimensions();
  auto td = targets.dimensions();
  auto xd = kScaled ? scale->dimensions() : offset->dimensions();  // per lane: a scale per row, or one offset
  if (sd.size() != rank + 1 || td.size() != rank + 2 || xd.size() != rank + (kScaled ? 1 : 0))
    return ffi::Error::InvalidArgument("event_sum: inputs must share the output's batch rank");
  const int64_t n = sd[rank], k = td[rank + 1];
  if (td[rank] != n) return ffi::Error::InvalidArgument("event_sum: targets rows != spike length");
  if (kScaled && xd[rank] != n) return ffi::Error::InvalidArgument("event_sum: scale length != spike length");
  bool ok1, ok2, ok3, ok4 = true;
  BatchIndexer is(batch, sd, n, &ok1), it(batch, td, n * k, &ok2), ix(batch, xd, kScaled ? n : 1, &ok3);
  BatchIndexer iw = kWeighted ? BatchIndexer(batch, weights->dimensions(), n * k, &ok4) : it;
  if (!(ok1 && ok2 && ok3 && ok4)) return ffi::Error::InvalidArgument("event_sum: batch dimensions do not broadcast");
  if (kWeighted && weights->element_type() != ffi::DataType::F32)
    return ffi::Error::InvalidArgument("event_sum: weights must be float32");
  const bool* s = spike.typed_data();
  const int32_t* t = targets.typed_data();
  const float* w = kWeighted ? weights->typed_data<float>() : nullptr;
  float* y = out->typed_data();
  const int64_t lanes = Product(od, 0, rank);
  std::memset(y, 0, sizeof(float) * lanes * m);
  for (int64_t b = 0; b < lanes; ++b) {
    const int32_t* tb = t + it(b);
    const float* wb = kWeighted ? w + iw(b) : nullptr;
    float* yb = y + b * m;
    if (kScaled) {
      const float* cb = scale->typed_data() + ix(b);
      ForEachSpike(s + is(b), n, [&](int64_t row) { AddRow<kWeighted, true>(tb, wb, row, k, 0, m, cb[row], yb); });
      continue;
    }
    const int64_t off = offset->typed_data()[ix(b)];
    if (off < 0 || off >= m) return ffi::Error::InvalidArgument("event_sum: offset out of range");
    ForEachSpike(s + is(b), n, [&](int64_t row) { AddRow<kWeighted>(tb, wb, row, k, off, m, 1.0f, yb); });
  }
  return ffi::Error::Success();
}

ffi::Error EventCount(ffi::Buffer<ffi::PRED> spike, ffi::Buffer<ffi::S32> targets, ffi::Buffer<ffi::S32> offset,
                      ffi::Result<ffi::Buffer<ffi::F32>> out) {
  return EventSum<false, false>(spike, targets, nullptr, &offset, nullptr, out);
}

ffi::Error EventWeighted(ffi::Buffer<ffi::PRED> spike, ffi::Buffer<ffi::S32> targets, ffi::AnyBuffer weights,
                         ffi::Buffer<ffi::S32> offset, ffi::Result<ffi::Buffer<ffi::F32>> out) {
  return EventSum<true, false>(spike, targets, &weights, &offset, nullptr, out);
}

ffi::Error EventCountScaled(ffi::Buffer<ffi::PRED> spike, ffi::Buffer<ffi::S32> targets, ffi::Buffer<ffi::F32> scale,
                            ffi::Result<ffi::Buffer<ffi::F32>> out) {
  return EventSum<false, true>(spike, targets, nullptr, nullptr, &scale, out);
}

ffi::Error EventWeightedScaled(ffi::Buffer<ffi::PRED> spike, ffi::Buffer<ffi::S32> targets, ffi::AnyBuffer weights,
                               ffi::Buffer<ffi::F32> scale, ffi::Result<ffi::Buffer<ffi::F32>> out) {
  return EventSum<true, true>(spike, targets, &weights, nullptr, &scale, out);
}

// The ring of future inputs used by per-synapse delays. pending (..., L, m) (aliased to pending_out);
// targets hold delay * m + target; ring (...) is the row due in this step. Adds this step's spikes
// (weight w per event, or weights per synapse), then moves row `ring` to now and clears it.
// The ring's output starts as its input: XLA usually aliases the two buffers; where it could not, the
// input is copied lane by lane.
inline void StartFromPending(float* p, const float* pending, const BatchIndexer& ip, int64_t lanes, int64_t size) {
  if (pending == p) return;
  for (int64_t b = 0; b < lanes; ++b) std::memcpy(p + b * size, pending + ip(b), sizeof(float) * size);
}

// Slot r of a lane's ring is what arrives this step: handed out as `now`, then cleared for step + len.
inline void TakeSlot(float* now, float* slot, int64_t m) {
  std::memcpy(now, slot, sizeof(float) * m);
  std::memset(slot, 0, sizeof(float) * m);
}

template <bool kWeighted>
ffi::Error EventRing(ffi::Buffer<ffi::PRED> spike, ffi::Buffer<ffi::S32> targets, ffi::Buffer<ffi::F32> weights,
                     ffi::Buffer<ffi::S32> ring, ffi::Buffer<ffi::F32> pending,
                     ffi::ResultBuffer<ffi::F32> pending_out, ffi::ResultBuffer<ffi::F32> now) {
  auto pd = pending_out->dimensions();
  if (pd.size() < 2) return ffi::Error::InvalidArgument("event_ring: pending needs a rank >= 2");
  const size_t rank = pd.size() - 2;
  ffi::Span<const int64_t> batch(pd.begin(), rank);
  const int64_t len = pd[rank], m = pd[rank + 1], size = len * m;
  auto sd = spike.dimensions();
  auto td = targets.dimensions();
  if (sd.size() != rank + 1 || td.size() != rank + 2 || ring.dimensions().size() != rank ||
      pending.dimensions().size() != rank + 2)
    return ffi::Error::InvalidArgument("event_ring: inputs must share pending's batch rank");
  const int64_t n = sd[rank], k = td[rank + 1];
  if (td[rank] != n) return ffi::Error::InvalidArgument("event_ring: targets rows != spike length");
  bool ok1, ok2, ok3, ok4, ok5;
  BatchIndexer is(batch, sd, n, &ok1), it(batch, td, n * k, &ok2), ir(batch, ring.dimensions(), 1, &ok3);
  BatchIndexer iw(batch, weights.dimensions(), kWeighted ? n * k : 1, &ok4);
  BatchIndexer ip(batch, pending.dimensions(), size, &ok5);
  if (!(ok1 && ok2 && ok3 && ok4 && ok5))
    return ffi::Error::InvalidArgument("event_ring: batch dimensions do not broadcast");
  const int64_t lanes = Product(pd, 0, rank);
  float* p = pending_out->typed_data();
  StartFromPending(p, pending.typed_data(), ip, lanes, size);
  for (int64_t b = 0; b < lanes; ++b) {
    const int64_t r = ring.typed_data()[ir(b)];
    if (r < 0 || r >= len) return ffi::Error::InvalidArgument("event_ring: ring pointer out of range");
    const int32_t* tb = targets.typed_data() + it(b);
    const float* wb = weights.typed_data() + iw(b);
    float* pb = p + b * size;
    const float w = kWeighted ? 0.0f : wb[0];
    ForEachSpike(spike.typed_data() + is(b), n,
                 [&](int64_t row) { AddRow<kWeighted>(tb, wb, row, k, r * m, size, w, pb); });
    TakeSlot(now->typed_data() + b * m, pb + r * m, m);
  }
  return ffi::Error::Success();
}

// The same ring with the synapses in compressed rows (CSR): row i is targets[indptr[i] .. indptr[i + 1]),
// weights alongside; entries past indptr[n] are unused capacity. No row padding to skip, and each row's
// synapses are visited in order, so the sums equal the padded table's (EventRing<true>) bitwise.
ffi::Error EventRingCsr(ffi::Buffer<ffi::PRED> spike, ffi::Buffer<ffi::S32> indptr, ffi::Buffer<ffi::S32> targets,
                        ffi::Buffer<ffi::F32> weights, ffi::Buffer<ffi::S32> ring, ffi::Buffer<ffi::F32> pending,
                        ffi::ResultBuffer<ffi::F32> pending_out, ffi::ResultBuffer<ffi::F32> now) {
  auto pd = pending_out->dimensions();
  if (pd.size() < 2) return ffi::Error::InvalidArgument("event_ring_csr: pending needs a rank >= 2");
  const size_t rank = pd.size() - 2;
  ffi::Span<const int64_t> batch(pd.begin(), rank);
  const int64_t len = pd[rank], m = pd[rank + 1], size = len * m;
  auto sd = spike.dimensions();
  auto id = indptr.dimensions();
  auto td = targets.dimensions();
  if (sd.size() != rank + 1 || id.size() != rank + 1 || td.size() != rank + 1 ||
      weights.dimensions().size() != rank + 1 || ring.dimensions().size() != rank ||
      pending.dimensions().size() != rank + 2)
    return ffi::Error::InvalidArgument("event_ring_csr: inputs must share pending's batch rank");
  const int64_t n = sd[rank], cap = td[rank];
  if (id[rank] != n + 1) return ffi::Error::InvalidArgument("event_ring_csr: indptr must have n_pre + 1 entries");
  if (weights.dimensions()[rank] != cap) return ffi::Error::InvalidArgument("event_ring_csr: weights != targets");
  bool ok[6];
  BatchIndexer is(batch, sd, n, &ok[0]), ii(batch, id, n + 1, &ok[1]), it(batch, td, cap, &ok[2]);
  BatchIndexer iw(batch, weights.dimensions(), cap, &ok[3]), ir(batch, ring.dimensions(), 1, &ok[4]);
  BatchIndexer ip(batch, pending.dimensions(), size, &ok[5]);
  for (bool b : ok)
    if (!b) return ffi::Error::InvalidArgument("event_ring_csr: batch dimensions do not broadcast");
  const int64_t lanes = Product(pd, 0, rank);
  float* p = pending_out->typed_data();
  StartFromPending(p, pending.typed_data(), ip, lanes, size);
  for (int64_t b = 0; b < lanes; ++b) {
    const int64_t r = ring.typed_data()[ir(b)];
    if (r < 0 || r >= len) return ffi::Error::InvalidArgument("event_ring_csr: ring pointer out of range");
    const int32_t* ptr = indptr.typed_data() + ii(b);
    if (ptr[0] < 0 || ptr[n] > cap) return ffi::Error::InvalidArgument("event_ring_csr: indptr out of range");
    const int32_t* tb = targets.typed_data() + it(b);
    const float* wb = weights.typed_data() + iw(b);
    float* pb = p + b * size;
    const int64_t offset = r * m;
    ForEachSpike(spike.typed_data() + is(b), n, [&](int64_t row) {
      // rows held within [0, cap) whatever indptr says (a damaged saved state must not read past the table)
      const int64_t end = std::min<int64_t>(ptr[row + 1], cap);
      for (int64_t s = std::max<int64_t>(ptr[row], 0); s < end; ++s) {
        const uint32_t idx = static_cast<uint32_t>(tb[s]);
        if (idx < static_cast<uint64_t>(size)) {
          int64_t j = idx + offset;
          if (j >= size) j -= size;
          pb[j] += wb[s];
        }
      }
    });
    TakeSlot(now->typed_data() + b * m, pb + r * m, m);
  }
  return ffi::Error::Success();
}

// Pair-based plasticity of one projection in one step (docs/plasticity.md, "One step"), per lane:
// traces decay; the spikes are delivered (before or after the presynaptic update); the synapses of each
// spiking presynaptic neuron get w += c_pre (x_post[target] - b_pre), then its trace jumps; the
// synapses into each spiking postsynaptic neuron (post_index rows) get w += c_post x_pre[pre], then its
// trace jumps; every update is clipped to [w_min, w_max] ("multiplicative": a change d is scaled by
// (w_max - w) / span if d > 0, else (w - w_min) / span). Same arithmetic, in the same order, as the
// pure-JAX twin (models/projections/_plastic.py). w, x_pre, x_post are aliased to their outputs.
// params: decay_pre, decay_post, jump_pre, jump_post, set_pre, set_post, c_pre, b_pre, c_post, w_min,
// w_max, multiplicative, deliver_after.
enum { kDecayPre, kDecayPost, kJumpPre, kJumpPost, kSetPre, kSetPost, kCPre, kBPre, kCPost, kWMin, kWMax, kMult,
       kAfter, kNumParams };

template <bool kMultiplicative>
inline float PairStep(float w, float d, const float* p) {
  float nw;
  if (kMultiplicative) {
    const float span = p[kWMax] - p[kWMin];
    nw = w + (d > 0.0f ? d * (p[kWMax] - w) : d * (w - p[kWMin])) / span;
  } else {
    nw = w + d;
  }
  return nw < p[kWMin] ? p[kWMin] : (nw > p[kWMax] ? p[kWMax] : nw);
}

template <bool kMultiplicative>
void PlasticLane(const float* p, const int32_t* t, const int32_t* pi, const bool* sa, const bool* sb, int64_t n,
                 int64_t m, int64_t k, int64_t kin, float* w, float* xa, float* xb, float* y) {
  const int64_t size = n * k;
  std::memset(y, 0, sizeof(float) * m);
  const bool after = p[kAfter] != 0.0f;
  // one pass over the presynaptic spikes: deliver (with the old weight unless "after"), then update
  ForEachSpike(sa, n, [&](int64_t row) {
    const int32_t* tr = t + row * k;
    float* wr = w + row * k;
    for (int64_t s = 0; s < k; ++s) {
      const uint32_t j = static_cast<uint32_t>(tr[s]);
      if (j >= static_cast<uint64_t>(m)) continue;
      if (!after) y[j] += wr[s];
      wr[s] = PairStep<kMultiplicative>(wr[s], p[kCPre] * (xb[j] - p[kBPre]), p);
    }
    xa[row] = p[kSetPre] != 0.0f ? p[kJumpPre] : xa[row] + p[kJumpPre];
  });
  if (after) ForEachSpike(sa, n, [&](int64_t row) { AddRow<true>(t, w, row, k, 0, m, 1.0f, y); });
  ForEachSpike(sb, m, [&](int64_t col) {
    const int32_t* ids = pi + col * kin;
    for (int64_t s = 0; s < kin; ++s) {  // ids ascend and padding (size) comes last: stop at the first
      const uint32_t id = static_cast<uint32_t>(ids[s]);
      if (id >= static_cast<uint64_t>(size)) break;
      w[id] = PairStep<kMultiplicative>(w[id], p[kCPost] * xa[id / k], p);
    }
    xb[col] = p[kSetPost] != 0.0f ? p[kJumpPost] : xb[col] + p[kJumpPost];
  });
}

ffi::Error PlasticPair(ffi::Buffer<ffi::PRED> spike_pre, ffi::Buffer<ffi::PRED> spike_post,
                       ffi::Buffer<ffi::S32> targets, ffi::Buffer<ffi::S32> post_index, ffi::Buffer<ffi::F32> params,
                       ffi::Buffer<ffi::F32> w_in, ffi::Buffer<ffi::F32> xpre_in, ffi::Buffer<ffi::F32> xpost_in,
                       ffi::ResultBuffer<ffi::F32> out, ffi::ResultBuffer<ffi::F32> w_out,
                       ffi::ResultBuffer<ffi::F32> xpre_out, ffi::ResultBuffer<ffi::F32> xpost_out) {
  auto od = out->dimensions();
  const size_t rank = od.size() - 1;
  ffi::Span<const int64_t> batch(od.begin(), rank);
  const int64_t m = od[rank];
  auto td = targets.dimensions();
  auto pd = post_index.dimensions();
  if (td.size() != rank + 2 || pd.size() != rank + 2 || spike_pre.dimensions().size() != rank + 1 ||
      spike_post.dimensions().size() != rank + 1 || params.dimensions().size() != rank + 1)
    return ffi::Error::InvalidArgument("plastic_pair: inputs must share the output's batch rank");
  const int64_t n = td[rank], k = td[rank + 1], kin = pd[rank + 1], size = n * k;
  if (params.dimensions()[rank] != kNumParams) return ffi::Error::InvalidArgument("plastic_pair: bad params");
  bool ok[8];
  BatchIndexer isp(batch, spike_pre.dimensions(), n, &ok[0]), iso(batch, spike_post.dimensions(), m, &ok[1]);
  BatchIndexer it(batch, td, size, &ok[2]), ipi(batch, pd, m * kin, &ok[3]);
  BatchIndexer ipa(batch, params.dimensions(), kNumParams, &ok[4]), iw(batch, w_in.dimensions(), size, &ok[5]);
  BatchIndexer ixa(batch, xpre_in.dimensions(), n, &ok[6]), ixb(batch, xpost_in.dimensions(), m, &ok[7]);
  for (bool b : ok)
    if (!b) return ffi::Error::InvalidArgument("plastic_pair: batch dimensions do not broadcast");
  const int64_t lanes = Product(od, 0, rank);
  for (int64_t b = 0; b < lanes; ++b) {
    const float* p = params.typed_data() + ipa(b);
    float* w = w_out->typed_data() + b * size;
    float* xa = xpre_out->typed_data() + b * n;
    float* xb = xpost_out->typed_data() + b * m;
    float* y = out->typed_data() + b * m;
    const float* w0 = w_in.typed_data() + iw(b);
    if (w0 != w) std::memcpy(w, w0, sizeof(float) * size);  // not aliased: XLA kept the input alive
    const float* xa0 = xpre_in.typed_data() + ixa(b);
    const float* xb0 = xpost_in.typed_data() + ixb(b);
    for (int64_t i = 0; i < n; ++i) xa[i] = xa0[i] * p[kDecayPre];
    for (int64_t j = 0; j < m; ++j) xb[j] = xb0[j] * p[kDecayPost];
    const int32_t* t = targets.typed_data() + it(b);
    const int32_t* pi = post_index.typed_data() + ipi(b);
    const bool* sa = spike_pre.typed_data() + isp(b);
    const bool* sb = spike_post.typed_data() + iso(b);
    if (p[kMult] != 0.0f) PlasticLane<true>(p, t, pi, sa, sb, n, m, k, kin, w, xa, xb, y);
    else PlasticLane<false>(p, t, pi, sa, sb, n, m, k, kin, w, xa, xb, y);
  }
  return ffi::Error::Success();
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbEventCount, EventCount,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbEventWeighted, EventWeighted,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbEventCountScaled, EventCountScaled,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbEventWeightedScaled, EventWeightedScaled,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbEventRingScalar, EventRing<false>,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbEventRingWeighted, EventRing<true>,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbEventRingCsr, EventRingCsr,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());

XLA_FFI_DEFINE_HANDLER_SYMBOL(BbPlasticPair, PlasticPair,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::S32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Arg<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>()
                                  .Ret<ffi::Buffer<ffi::F32>>());
