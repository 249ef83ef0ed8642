#!/usr/bin/env bash
# Device check on a GPU machine (not part of CI): many COBA lanes on one GPU, CLI sweeps, GPU tests.
# Needs the wheels of zarr, numcodecs, donfig, google-crc32c in .whl/ when the machine lacks them.
export PYTHONUNBUFFERED=1
if [ -d .whl ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
OUT=${OUT:-/tmp/gpu_check}; mkdir -p "$OUT"
BB="python3 -m brainbatch"
TIMEFORMAT="wall %R s"
nvidia-smi -L; nproc
python3 -c "import jax, zarr, xarray; print('jax', jax.__version__, jax.devices(), 'zarr', zarr.__version__)"
echo "== lanes"; timeout 240 python3 bench/gpu_lanes.py --lanes ${LANES:-1,64,512,2048} --duration 1000 | tee "$OUT/lanes.jsonl"
echo "== sweep 64 seeds, spikes of all 4000 neurons recorded"
$BB sweep experiments/coba.py --seeds 64 --duration 1000 --out /tmp/s64.zarr --dry-run
time timeout 150 $BB sweep experiments/coba.py --seeds 64 --duration 1000 --out /tmp/s64.zarr -q
$BB show /tmp/s64.zarr | head -40
echo "== sweep 1024 seeds, nothing recorded"
$BB sweep bench/coba_no_monitors.py --seeds 1024 --duration 1000 --out /tmp/bare.zarr --dry-run
time timeout 150 $BB sweep bench/coba_no_monitors.py --seeds 1024 --duration 1000 --out /tmp/bare.zarr -q
echo "== tests on the GPU"
timeout ${TEST_S:-150} python3 -m pytest tests/kernels tests/run -x -q -p no:cacheprovider --timeout 120 2>&1 | tail -25
