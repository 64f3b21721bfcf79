-- For tests only: the CUDA extension's C ABI (cython_ext/cuda/t7_cuda_abi.h) emulated in
-- host memory with the CPU core's kernels, so that the Lua side (cutorch, cunn, cudnn) runs
-- where there is no GPU. "Device" storages are FloatStorages; each emulated function does
-- what the header says the real one does, through CPU tensor views of that memory. It checks
-- the Lua glue (argument forms, conversions, dispatch, module:cuda()), not the kernels: those
-- are checked on a GPU by tests/test_cuda_kernels.py.
--
-- dofile('tests/cuda_emulation.lua')(header_path) before require 'cutorch'.

local ffi = require 'ffi'

return function(header_path)
   local f = assert(io.open(header_path))
   local header = f:read('*a')
   f:close()

   -- mutable mirrors of the ABI's structs (Lua sees the real ones with const fields)
   ffi.cdef [[
      typedef struct { int64_t refcount; float *data; int64_t size; int32_t device;
                       int32_t flags; void (*release)(void *); void *release_context;
                     } T7EmuStorage;
      typedef struct { int64_t refcount; void *storage; int64_t offset; int32_t ndim;
                       int32_t device; int64_t size[32]; int64_t stride[32]; } T7EmuTensor;
   ]]

   local C = {}
   for name, value in header:gmatch('(T7CU_[%w_]+) = (%d+)') do C[name] = tonumber(value) end

   local live = {}          -- address -> {struct, cpu storage (storages only)}
   local message = 'no error'
   local function address(p) return tonumber(ffi.cast('uintptr_t', ffi.cast('void *', p))) end
   local function emu_storage(p) return ffi.cast('T7EmuStorage *', p) end
   local function emu_tensor(p) return ffi.cast('T7EmuTensor *', p) end

   -- Runs body, turning a Lua error into the ABI's -1 and message.
   local function guarded(body)
      return function(...)
         local ok, result = pcall(body, ...)
         if ok then return result == nil and 0 or result end
         message = tostring(result):gsub('^[^:]*:%d+: ', '')
         return -1
      end
   end

   -- cpu: the FloatStorage holding the "device" memory (default: a new one of size floats)
   local function new_storage(size, cpu)
      local s = ffi.new('T7EmuStorage')
      cpu = cpu or torch.FloatStorage(math.max(size, 0))
      s.refcount, s.size, s.device = 1, size, 0
      s.data = ffi.cast('float *', cpu._data)
      live[address(s)] = {s, cpu}
      return ffi.cast('T7CudaStorage *', s)
   end

   local function cpu_storage(p) return live[address(p)][2] end

   -- A FloatTensor over the same memory as the CUDA tensor p.
   local function host_view(p)
      local t = emu_tensor(p)
      if t.ndim == 0 or t.storage == nil then return torch.FloatTensor() end
      local size, stride = torch.LongStorage(t.ndim), torch.LongStorage(t.ndim)
      for d = 1, t.ndim do
         size[d], stride[d] = tonumber(t.size[d - 1]), tonumber(t.stride[d - 1])
      end
      return torch.FloatTensor(cpu_storage(t.storage), tonumber(t.offset) + 1, size, stride)
   end

   local function nelement(p)
      local t = emu_tensor(p)
      if t.ndim == 0 then return 0 end
      local n = 1
      for d = 0, t.ndim - 1 do n = n * tonumber(t.size[d]) end
      return n
   end

   local function set_geometry(p, storage, offset, ndim, size, stride)
      local t = emu_tensor(p)
      local step = 1
      local strides = {}
      for d = ndim - 1, 0, -1 do
         strides[d] = stride ~= nil and tonumber(stride[d]) or step
         step = step * math.max(tonumber(size[d]), 1)
      end
      local reach = 0
      for d = 0, ndim - 1 do
         if size[d] == 0 then reach = -1 break end
         reach = reach + (tonumber(size[d]) - 1) * strides[d]
      end
      if ndim > 0 and reach >= 0 then
         assert(storage ~= nil and offset + reach < emu_storage(storage).size,
            'the view does not fit in its storage')
      end
      if storage ~= nil then emu_storage(storage).refcount = emu_storage(storage).refcount + 1 end
      if t.storage ~= nil then C.t7cu_storage_release(t.storage) end
      t.storage, t.offset, t.ndim = ffi.cast('void *', storage), storage ~= nil and offset or 0,
         ndim
      for d = 0, ndim - 1 do t.size[d], t.stride[d] = size[d], strides[d] end
   end

   function C.t7cu_last_error() return message end
   C.t7cu_device_count = guarded(function(count) count[0] = 1 end)
   C.t7cu_set_device = guarded(function(d) assert(d == 0, 'device ' .. d .. ' does not exist') end)
   function C.t7cu_get_device() return 0 end
   C.t7cu_device_info = guarded(function(_, info)
      ffi.copy(info.name, 'emulated')
      info.major, info.minor = 9, 0
   end)
   C.t7cu_synchronize = guarded(function() end)
   C.t7cu_memory_usage = guarded(function(_, free, total) free[0], total[0] = 1e9, 2e9 end)
   local allocated = 0
   C.t7cu_allocator_stats = guarded(function(_, stats)
      stats.allocated, stats.reserved = allocated, allocated
   end)
   C.t7cu_empty_cache = guarded(function() end)
   local streams, current_stream = 0, 0
   C.t7cu_reserve_streams = guarded(function(n) streams = math.max(streams, n) end)
   function C.t7cu_get_num_streams() return streams end
   C.t7cu_set_stream = guarded(function(i)
      assert(i >= 0 and i <= streams, 'stream ' .. i .. ' does not exist')
      current_stream = i
   end)
   function C.t7cu_get_stream() return current_stream end
   C.t7cu_stream_wait_for = guarded(function(w, list, n)
      for i = -1, n - 1 do
         local s = i < 0 and w or list[i]
         assert(s >= 0 and s <= streams, 'stream ' .. s .. ' does not exist')
      end
   end)
   C.t7cu_stream_synchronize = guarded(function() end)
   local seed = 0ULL
   C.t7cu_manual_seed = guarded(function(s) seed = s; torch.manualSeed(tonumber(s)) end)
   function C.t7cu_initial_seed() return seed end

   function C.t7cu_storage_new(size)
      allocated = allocated + 4 * tonumber(size)
      return new_storage(tonumber(size))
   end
   -- Emulated device memory is host memory that this file lent (DLPack export): borrowing
   -- finds the storage holding it and views that.
   function C.t7cu_storage_borrow(data, size, device, release, context)
      local first = address(data)
      for _, entry in pairs(live) do
         local s, cpu = entry[1], entry[2]
         local start = cpu and address(s.data)
         if start and first >= start and first + 4 * size <= start + 4 * tonumber(s.size) then
            local view = torch.FloatStorage(cpu, (first - start) / 4 + 1, tonumber(size))
            local p = new_storage(tonumber(size), view)
            emu_storage(p).release, emu_storage(p).release_context = release, context
            emu_storage(p).device = device
            return p
         end
      end
      message = 'emulation: only memory the emulation lent can be borrowed'
      return nil
   end
   function C.t7cu_storage_retain(p) emu_storage(p).refcount = emu_storage(p).refcount + 1 end
   function C.t7cu_storage_release(p)
      if p == nil then return end
      local s = emu_storage(p)
      s.refcount = s.refcount - 1
      if s.refcount == 0 then
         if s.release ~= nil then
            s.release(s.release_context)
         else
            allocated = allocated - 4 * tonumber(s.size)
         end
         live[address(p)] = nil
      end
   end
   C.t7cu_storage_resize = guarded(function(p, size)
      local s = emu_storage(p)
      assert(s.release == nil, 'a storage over borrowed memory (DLPack) cannot be resized')
      local old = cpu_storage(p)
      local cpu = torch.FloatStorage(tonumber(size))
      for i = 1, math.min(old:size(), cpu:size()) do cpu[i] = old[i] end
      live[address(p)][2] = cpu
      s.data, s.size = ffi.cast('float *', cpu._data), size
   end)
   C.t7cu_storage_copy = guarded(function(d, s) cpu_storage(d):copy(cpu_storage(s)) end)
   C.t7cu_storage_copy_from_host = guarded(function(d, src)
      ffi.copy(emu_storage(d).data, src, 4 * emu_storage(d).size)
   end)
   C.t7cu_storage_copy_to_host = guarded(function(dst, s)
      ffi.copy(dst, emu_storage(s).data, 4 * emu_storage(s).size)
   end)
   C.t7cu_storage_get = guarded(function(p, i, out)
      assert(i >= 0 and i < emu_storage(p).size, 'index out of bounds')
      out[0] = emu_storage(p).data[i]
   end)
   C.t7cu_storage_set = guarded(function(p, i, v)
      assert(i >= 0 and i < emu_storage(p).size, 'index out of bounds')
      emu_storage(p).data[i] = v
   end)

   function C.t7cu_tensor_new()
      local t = ffi.new('T7EmuTensor')
      t.refcount = 1
      live[address(t)] = {t}
      return ffi.cast('T7CudaTensor *', t)
   end
   function C.t7cu_tensor_new_view(storage, offset, ndim, size, stride)
      local t = C.t7cu_tensor_new()
      if C.t7cu_tensor_set(t, storage, offset, ndim, size, stride) ~= 0 then
         C.t7cu_tensor_release(t)
         return nil
      end
      return t
   end
   function C.t7cu_tensor_retain(p) emu_tensor(p).refcount = emu_tensor(p).refcount + 1 end
   function C.t7cu_tensor_release(p)
      local t = emu_tensor(p)
      t.refcount = t.refcount - 1
      if t.refcount == 0 then
         if t.storage ~= nil then C.t7cu_storage_release(t.storage) end
         live[address(p)] = nil
      end
   end
   function C.t7cu_tensor_nelement(p) return nelement(p) end
   function C.t7cu_tensor_is_contiguous(p)
      return (nelement(p) == 0 or host_view(p):isContiguous()) and 1 or 0
   end
   C.t7cu_tensor_set = guarded(function(p, storage, offset, ndim, size, stride)
      set_geometry(p, storage, tonumber(offset), ndim, size, stride)
   end)
   C.t7cu_tensor_resize = guarded(function(p, ndim, size, stride)
      local t = emu_tensor(p)
      local dims = {}
      for d = 1, ndim do dims[d] = tonumber(size[d - 1]) end
      local needed = 0
      if ndim > 0 then
         needed = 1
         for d = 0, ndim - 1 do
            if size[d] == 0 then needed = 0 break end
            local s = stride ~= nil and tonumber(stride[d]) or nil
            if s == nil then
               s = 1
               for e = d + 1, ndim - 1 do s = s * tonumber(size[e]) end
            end
            needed = needed + (tonumber(size[d]) - 1) * s
         end
      end
      local storage = t.storage
      if needed > 0 then
         if storage == nil then
            storage = C.t7cu_storage_new(needed)
            set_geometry(p, storage, 0, ndim, size, stride)
            C.t7cu_storage_release(storage)
            return
         end
         if tonumber(t.offset) + needed > emu_storage(storage).size then
            assert(C.t7cu_storage_resize(storage, tonumber(t.offset) + needed) == 0, message)
         end
      end
      set_geometry(p, storage, tonumber(t.offset), ndim, size, stride)
   end)

   local function same_count(a, b)
      assert(nelement(a) == nelement(b), string.format(
         'inconsistent tensor size, %d and %d elements', nelement(a), nelement(b)))
   end
   -- The values of p in row-major order, as a contiguous FloatTensor.
   local function values(p) return host_view(p):contiguous():view(math.max(nelement(p), 0)) end
   local function write(p, v) host_view(p):copy(v:viewAs(host_view(p))) end

   C.t7cu_tensor_copy = guarded(function(d, s)
      same_count(d, s)
      if nelement(d) > 0 then write(d, values(s)) end
   end)
   C.t7cu_tensor_copy_from_host = guarded(function(d, src)
      local n = nelement(d)
      if n == 0 then return end
      local v = torch.FloatTensor(n)
      ffi.copy(v:data(), src, 4 * n)
      write(d, v)
   end)
   C.t7cu_tensor_copy_to_host = guarded(function(dst, s)
      local n = nelement(s)
      if n > 0 then ffi.copy(dst, values(s):data(), 4 * n) end
   end)

   local OPS = {
      [C.T7CU_FILL] = function(_, _, _, a) return a end,
      [C.T7CU_COPY] = function(x) return x end,
      [C.T7CU_ADD_SCALAR] = function(x, _, _, a) return x + a end,
      [C.T7CU_MUL_SCALAR] = function(x, _, _, a) return x * a end,
      [C.T7CU_ADD] = function(x, y, _, a) return x + a * y end,
      [C.T7CU_MUL] = function(x, y) return x * y end,
      [C.T7CU_DIV] = function(x, y) return x / y end,
      [C.T7CU_ADDCMUL] = function(x, y, z, a) return x + a * y * z end,
      [C.T7CU_ADDCDIV] = function(x, y, z, a) return x + a * y / z end,
      [C.T7CU_ABS] = math.abs, [C.T7CU_EXP] = math.exp,
      [C.T7CU_LOG] = function(x) return math.log(x) end,   -- (LuaJIT's takes a base)
      [C.T7CU_SQRT] = math.sqrt, [C.T7CU_TANH] = math.tanh,
      [C.T7CU_POW] = function(x, _, _, a) return x ^ a end,
      [C.T7CU_SIGMOID] = function(x) return 1 / (1 + math.exp(-x)) end,
      [C.T7CU_CLAMP] = function(x, _, _, a, b) return math.min(math.max(x, a), b) end,
      [C.T7CU_THRESHOLD] = function(x, _, _, a, b) return x > a and x or b end,
      [C.T7CU_THRESHOLD_GRAD] = function(x, y, _, a) return y > a and x or 0 end,
      [C.T7CU_TANH_GRAD] = function(x, y) return x * (1 - y * y) end,
      [C.T7CU_SIGMOID_GRAD] = function(x, y) return x * y * (1 - y) end,
      [C.T7CU_SCALED_DIFF] = function(x, y, _, a) return a * (x - y) end,
      [C.T7CU_NEG] = function(x) return -x end,
      [C.T7CU_SQUARE] = function(x) return x * x end,
      [C.T7CU_DIV_SCALAR] = function(x, _, _, a) return x / a end,
   }
   C.t7cu_map = guarded(function(r, x, y, z, op, a, b)
      local f = assert(OPS[op], 'unknown element-wise operation')
      local n = nelement(r)
      for _, operand in ipairs({x, y, z}) do
         if operand ~= nil then same_count(r, operand) end
      end
      if n == 0 then return end
      -- dense copies, kept referenced while their memory is read through pointers
      local copies = {}
      local function data(k, p)
         if p == nil then return nil end
         copies[k] = values(p):clone()
         return copies[k]:data()
      end
      local xv, yv, zv = data(1, x), data(2, y), data(3, z)
      local out = torch.FloatTensor(n)
      local o = out:data()
      for i = 0, n - 1 do
         o[i] = f(xv and xv[i] or 0, yv and yv[i] or 0, zv and zv[i] or 0, a, b)
      end
      write(r, out)
      return #copies >= 0 and 0
   end)

   local REDUCE = {[C.T7CU_SUM] = 'sum', [C.T7CU_MAX] = 'max', [C.T7CU_MIN] = 'min',
                   [C.T7CU_MEAN] = 'mean'}
   C.t7cu_reduce_all = guarded(function(x, op, out)
      local v = values(x):double()
      out[0] = op == C.T7CU_SUMSQ and v:dot(v) or v[REDUCE[op]](v)
   end)
   local function along(r, positions, x, dim, op)
      local v = host_view(x)
      local result, where = v[REDUCE[op]](v, dim + 1)
      local target = emu_tensor(r)
      local size = result:size()
      local sizes = ffi.new('int64_t[32]')
      for d = 1, #size do sizes[d - 1] = size[d] end
      assert(C.t7cu_tensor_resize(r, #size, sizes, nil) == 0, message)
      write(r, result:contiguous():view(result:nElement()))
      if positions ~= nil then
         assert(C.t7cu_tensor_resize(positions, #size, sizes, nil) == 0, message)
         write(positions, where:float():contiguous():view(where:nElement()))
      end
   end
   C.t7cu_reduce_dim = guarded(function(r, x, dim, op) along(r, nil, x, dim, op) end)
   C.t7cu_max_dim = guarded(function(v, p, x, dim) along(v, p, x, dim, C.T7CU_MAX) end)
   C.t7cu_random = guarded(function(r, kind, a, b)
      local v = host_view(r)
      if kind == C.T7CU_UNIFORM then v:uniform(a, b)
      elseif kind == C.T7CU_NORMAL then v:normal(a, b)
      else v:bernoulli(a) end
   end)

   -- Resizes r like the CPU tensor `like` and copies it in.
   local function give(r, like)
      local sizes = ffi.new('int64_t[32]')
      for d = 1, like:dim() do sizes[d - 1] = like:size(d) end
      assert(C.t7cu_tensor_resize(r, like:dim(), sizes, nil) == 0, message)
      if like:nElement() > 0 then write(r, like:contiguous():view(like:nElement())) end
   end

   C.t7cu_index_rows = guarded(function(r, src, idx, base)
      local rows = host_view(src)
      local picks = values(idx):long():add(1 - base)
      assert(picks:nElement() == 0 or (picks:min() >= 1 and picks:max() <= rows:size(1)),
         'index: index out of range')
      give(r, rows:index(1, picks))
   end)
   C.t7cu_addmm = guarded(function(r, beta, m, alpha, a, b)
      give(r, torch.addmm(beta, host_view(m), alpha, host_view(a), host_view(b)))
   end)
   C.t7cu_addmv = guarded(function(r, beta, v, alpha, a, x)
      give(r, torch.addmv(beta, host_view(v), alpha, host_view(a), host_view(x)))
   end)
   C.t7cu_addr = guarded(function(r, beta, m, alpha, x, y)
      give(r, torch.addr(beta, host_view(m), alpha, host_view(x), host_view(y)))
   end)
   C.t7cu_dot = guarded(function(x, y, out) out[0] = values(x):dot(values(y)) end)

   -- nn: the CPU kernels through the CPU modules' own C functions
   local core = require 'torch.core'
   local K = core.C
   local function check(status) assert(status == 0, core.last_error()) end
   local conv = ffi.new('T7ConvShape')
   local function conv_shape(s)
      ffi.fill(conv, ffi.sizeof(conv))
      conv.dims, conv.groups = 2, 1
      conv.input_planes, conv.output_planes = s.input_planes, s.output_planes
      conv.kernel[0], conv.kernel[1], conv.kernel[2] = 1, s.kernel_h, s.kernel_w
      conv.stride[0], conv.stride[1], conv.stride[2] = 1, s.stride_h, s.stride_w
      conv.pad[1], conv.pad[2] = s.pad_h, s.pad_w
      conv.dilation[0], conv.dilation[1], conv.dilation[2] = 1, 1, 1
      return conv
   end
   local function weight_matrix(w, s)
      return host_view(w):view(tonumber(s.output_planes),
         tonumber(s.input_planes * s.kernel_h * s.kernel_w))
   end
   C.t7cu_nn_conv2d_forward = guarded(function(out, x, w, b, s)
      local o = torch.FloatTensor()
      check(K.t7_nn_conv_forward(o, host_view(x), weight_matrix(w, s),
         b ~= nil and host_view(b) or nil, conv_shape(s)))
      give(out, o)
   end)
   C.t7cu_nn_conv2d_backward_input = guarded(function(gi, x, go, w, s)
      local g = torch.FloatTensor()
      check(K.t7_nn_conv_backward_input(g, host_view(x), host_view(go), weight_matrix(w, s),
         conv_shape(s)))
      give(gi, g)
   end)
   C.t7cu_nn_conv2d_backward_params = guarded(function(gw, gb, x, go, scale, s)
      check(K.t7_nn_conv_backward_params(weight_matrix(gw, s), gb ~= nil and host_view(gb)
         or nil, host_view(x), host_view(go), scale, conv_shape(s)))
   end)
   local pool = ffi.new('T7PoolShape')
   local function pool_shape(s)
      ffi.fill(pool, ffi.sizeof(pool))
      pool.dims, pool.ceil_mode, pool.count_include_pad = 2, s.ceil_mode, s.count_include_pad
      pool.kernel[0], pool.kernel[1], pool.kernel[2] = 1, s.kernel_h, s.kernel_w
      pool.stride[0], pool.stride[1], pool.stride[2] = 1, s.stride_h, s.stride_w
      pool.pad[1], pool.pad[2] = s.pad_h, s.pad_w
      pool.dilation[0], pool.dilation[1], pool.dilation[2] = 1, 1, 1
      return pool
   end
   C.t7cu_nn_max_pool2d = guarded(function(out, idx, x, s)
      local o, i = torch.FloatTensor(), torch.LongTensor()
      check(K.t7_nn_max_pool(o, i, host_view(x), pool_shape(s), 1))
      give(out, o)
      give(idx, i:float())
   end)
   C.t7cu_nn_max_pool2d_backward = guarded(function(gi, x, go, idx)
      local g = torch.FloatTensor():resizeAs(host_view(x)):zero()
      check(K.t7_nn_scatter_by_index(g, host_view(go):contiguous(), host_view(idx):long(), 2,
         1))
      give(gi, g)
   end)
   C.t7cu_nn_avg_pool2d = guarded(function(out, x, s)
      local o = torch.FloatTensor()
      check(K.t7_nn_avg_pool(o, host_view(x), pool_shape(s)))
      give(out, o)
   end)
   C.t7cu_nn_avg_pool2d_backward = guarded(function(gi, x, go, s)
      local g = torch.FloatTensor()
      check(K.t7_nn_avg_pool_backward(g, host_view(x), host_view(go), pool_shape(s)))
      give(gi, g)
   end)
   local function opt(p) return p ~= nil and host_view(p) or nil end
   C.t7cu_nn_batch_norm = guarded(function(out, x, w, b, rm, rv, sm, ss, train, mom, eps)
      local o = torch.FloatTensor()
      check(K.t7_nn_batch_norm(o, host_view(x), opt(w), opt(b), host_view(rm), host_view(rv),
         host_view(sm), host_view(ss), train, mom, eps))
      give(out, o)
   end)
   C.t7cu_nn_batch_norm_backward = guarded(function(x, go, gi, gw, gb, w, rm, rv, sm, ss,
                                                     train, scale, eps)
      local g = gi ~= nil and torch.FloatTensor() or nil
      check(K.t7_nn_batch_norm_backward(host_view(x), host_view(go), g, opt(gw), opt(gb),
         opt(w), host_view(rm), host_view(rv), host_view(sm), host_view(ss), train, scale,
         eps))
      if g then give(gi, g) end
   end)
   C.t7cu_nn_softmax = guarded(function(out, x, log)
      local o = torch.FloatTensor()
      check(K.t7_nn_softmax(o, host_view(x), log))
      give(out, o)
   end)
   C.t7cu_nn_softmax_backward = guarded(function(gi, go, out, log)
      local g = torch.FloatTensor()
      check(K.t7_nn_softmax_backward(g, host_view(go), host_view(out), log))
      give(gi, g)
   end)
   C.t7cu_nn_class_nll = guarded(function(x, t, w, ignore, base, loss, total)
      check(K.t7_nn_class_nll(host_view(x), values(t):long(), opt(w), ignore, base, loss,
         total))
   end)
   C.t7cu_nn_class_nll_backward = guarded(function(gi, x, t, w, scale, ignore, base)
      local g = torch.FloatTensor()
      check(K.t7_nn_class_nll_backward(g, host_view(x), values(t):long(), opt(w), scale,
         ignore, base))
      give(gi, g)
   end)
   C.t7cu_nn_mse = guarded(function(x, t, out)
      check(K.t7_nn_mse(host_view(x), host_view(t), out))
   end)
   C.t7cu_nn_lookup_acc_grad = guarded(function(gw, idx, go, padding, base, scale)
      check(K.t7_nn_lookup_acc_grad(host_view(gw), values(idx):long(), host_view(go), nil,
         padding, base, scale))
   end)

   -- require 'cutorch' finds this "extension"
   local boot = package.loaded['torch7_compat.boot']
   boot.cuda_library = function() return 'emulated CUDA', header end
   local load = ffi.load
   ffi.load = function(path, ...)
      if path == 'emulated CUDA' then return C end
      return load(path, ...)
   end
end
