"""Models of BrainPy's notebooks that several test files run (tests/brainpy/conftest.py puts this folder on
sys.path)."""
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm


# dynamics_analysis/3d_hindmarsh_rose_model.ipynb: odeint with bp.share.get_shargs() and a runner input of 1.5

class HindmarshRose(bp.DynamicalSystem):
    def __init__(self, method='exp_auto'):
        super().__init__()
        self.a, self.b, self.c, self.d, self.s, self.x_r, self.r = 1., 2.5, 1., 5., 4., -1.6, 0.001
        self.x = bm.Variable(bm.ones(1))
        self.y = bm.Variable(bm.ones(1))
        self.z = bm.Variable(bm.ones(1))
        self.I = bm.Variable(bm.zeros(1))

        def dx(x, t, y, z, Isyn):
            return y - self.a * x ** 3 + self.b * x * x - z + Isyn

        def dy(y, t, x):
            return self.c - self.d * x * x - y

        def dz(z, t, x):
            return self.r * (self.s * (x - self.x_r) - z)

        self.int_x = bp.odeint(f=dx, method=method)
        self.int_y = bp.odeint(f=dy, method=method)
        self.int_z = bp.odeint(f=dz, method=method)

    def update(self):
        tdi = bp.share.get_shargs()
        self.x.value = self.int_x(self.x, tdi.t, self.y, self.z, self.I, tdi.dt)
        self.y.value = self.int_y(self.y, tdi.t, self.x, tdi.dt)
        self.z.value = self.int_z(self.z, tdi.t, self.x, tdi.dt)
        self.I[:] = 0.
