/* torch7_compat._cuda as a Python module: empty. Its worth is the C functions of
 * t7_cuda_abi.h in the same shared object, which Lua reaches through the FFI (ffi.load of
 * this file's path); being an extension module lets setuptools build, name and install it. */
#include <Python.h>

static struct PyModuleDef cuda_module = {
    PyModuleDef_HEAD_INIT, "_cuda",
    "The CUDA kernels of torch7_compat, reached from Lua (require 'cutorch').", -1, NULL,
};

PyMODINIT_FUNC PyInit__cuda(void) {
    return PyModule_Create(&cuda_module);
}
