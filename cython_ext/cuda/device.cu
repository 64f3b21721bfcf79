// Errors, devices, streams and the caching allocator.

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "common.cuh"

namespace t7cu {

static thread_local char error_message[1024] = "no error";

int fail(const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(error_message, sizeof error_message, format, args);
    va_end(args);
    return -1;
}

int check_cuda(cudaError_t status, const char *what) {
    if (status == cudaSuccess) return 0;
    cudaGetLastError();  // clears a sticky launch error so that later calls are not blamed
    return fail("%s: %s (%s)", what, cudaGetErrorString(status), cudaGetErrorName(status));
}

int check_launch(const char *what) {
    return check_cuda(cudaGetLastError(), what);
}

int current_device() {
    int device = 0;
    cudaGetDevice(&device);
    return device;
}

// ---- streams: index 0 is the device's default stream; 1..n are reserved ones -------------

static std::mutex stream_mutex;
static std::vector<cudaStream_t> streams[T7CU_MAX_DEVICES];  // [0] is the default, NULL
static int reserved_streams = 0;
static thread_local int current_stream_index[T7CU_MAX_DEVICES];

// Creates the reserved streams of `device` that do not exist yet (lazily, per device).
static int ensure_streams(int device) {
    std::lock_guard<std::mutex> lock(stream_mutex);
    auto &list = streams[device];
    if (list.empty()) list.push_back(nullptr);
    while (static_cast<int>(list.size()) <= reserved_streams) {
        cudaStream_t s;
        if (check_cuda(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking),
                       "creating a stream")) return -1;
        list.push_back(s);
    }
    return 0;
}

static cudaStream_t stream_at(int device, int index) {
    if (index == 0) return nullptr;
    if (ensure_streams(device)) return nullptr;
    std::lock_guard<std::mutex> lock(stream_mutex);
    return streams[device][index];
}

cudaStream_t current_stream() {
    int device = current_device();
    return stream_at(device, current_stream_index[device]);
}

// ---- the caching allocator -----------------------------------------------------------------

namespace {

struct Block {
    size_t size;
    int device;
    cudaStream_t stream;
};

// Free blocks ordered by (device, stream, size) so that the smallest fitting block of the
// same device and stream is found by one lower_bound.
using FreeKey = std::tuple<int, uintptr_t, size_t, uintptr_t>;

struct Allocator {
    std::mutex mutex;
    std::unordered_map<void *, Block> live;
    std::set<FreeKey> free_blocks;
    std::unordered_map<void *, Block> cached;
    int64_t allocated[T7CU_MAX_DEVICES] = {};
    int64_t reserved[T7CU_MAX_DEVICES] = {};
};

Allocator &allocator() {
    static Allocator *instance = new Allocator();  // never destroyed: CUDA may be gone at exit
    return *instance;
}

// Small requests round up to 512 bytes, large ones to 2 MiB, so that a training loop asking
// for the same sizes each step finds its blocks again.
size_t rounded(size_t bytes) {
    const size_t small = 512, large = 2u << 20;
    if (bytes < (1u << 20)) return (bytes + small - 1) / small * small;
    return (bytes + large - 1) / large * large;
}

// Gives every cached block of `device` back to the driver (cudaFree synchronizes).
void release_cached(Allocator &a, int device) {
    for (auto it = a.free_blocks.begin(); it != a.free_blocks.end();) {
        if (std::get<0>(*it) != device) { ++it; continue; }
        void *ptr = reinterpret_cast<void *>(std::get<3>(*it));
        a.reserved[device] -= static_cast<int64_t>(std::get<2>(*it));
        a.cached.erase(ptr);
        cudaFree(ptr);
        it = a.free_blocks.erase(it);
    }
}

}  // namespace

void *device_alloc(size_t bytes) {
    Allocator &a = allocator();
    const size_t size = rounded(bytes == 0 ? 1 : bytes);
    const int device = current_device();
    cudaStream_t stream = current_stream();
    std::lock_guard<std::mutex> lock(a.mutex);
    // a cached block of the same device and stream, at most twice the size asked for
    auto it = a.free_blocks.lower_bound(
        FreeKey(device, reinterpret_cast<uintptr_t>(stream), size, 0));
    if (it != a.free_blocks.end() && std::get<0>(*it) == device &&
        std::get<1>(*it) == reinterpret_cast<uintptr_t>(stream) &&
        std::get<2>(*it) <= 2 * size) {
        void *ptr = reinterpret_cast<void *>(std::get<3>(*it));
        Block block = a.cached[ptr];
        a.cached.erase(ptr);
        a.free_blocks.erase(it);
        a.live[ptr] = block;
        a.allocated[device] += static_cast<int64_t>(block.size);
        return ptr;
    }
    void *ptr = nullptr;
    cudaError_t status = cudaMalloc(&ptr, size);
    if (status == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        release_cached(a, device);
        status = cudaMalloc(&ptr, size);
    }
    if (status != cudaSuccess) {
        check_cuda(status, "allocating device memory");
        fail("cuda runtime error: out of memory allocating %zu bytes on device %d "
             "(%lld bytes in use)", size, device, static_cast<long long>(a.allocated[device]));
        return nullptr;
    }
    a.live[ptr] = Block{size, device, stream};
    a.allocated[device] += static_cast<int64_t>(size);
    a.reserved[device] += static_cast<int64_t>(size);
    return ptr;
}

void device_free(void *ptr) {
    if (ptr == nullptr) return;
    Allocator &a = allocator();
    std::lock_guard<std::mutex> lock(a.mutex);
    auto it = a.live.find(ptr);
    if (it == a.live.end()) return;
    Block block = it->second;
    a.live.erase(it);
    a.allocated[block.device] -= static_cast<int64_t>(block.size);
    a.cached[ptr] = block;
    a.free_blocks.insert(FreeKey(block.device, reinterpret_cast<uintptr_t>(block.stream),
                                 block.size, reinterpret_cast<uintptr_t>(ptr)));
}

// ---- random seed, shared by the kernels of pointwise.cu --------------------------------------

uint64_t random_seed = 0x2545F4914F6CDD1DULL;
uint64_t random_offset = 0;

}  // namespace t7cu

using namespace t7cu;

extern "C" {

const char *t7cu_last_error(void) { return error_message; }

int t7cu_device_count(int32_t *count) {
    int n = 0;
    cudaError_t status = cudaGetDeviceCount(&n);
    *count = 0;
    if (status == cudaErrorNoDevice) { cudaGetLastError(); return 0; }
    if (status == cudaErrorInsufficientDriver) {
        cudaGetLastError();
        int driver = 0;
        cudaDriverGetVersion(&driver);  // 0: no driver at all
        if (driver == 0) return fail("no NVIDIA driver is installed (no GPU here)");
        return fail("the NVIDIA driver supports CUDA %d.%d, older than the CUDA %d.%d runtime "
                    "this extension was built with: rebuild it with an older toolkit or "
                    "update the driver", driver / 1000, driver % 1000 / 10,
                    CUDART_VERSION / 1000, CUDART_VERSION % 1000 / 10);
    }
    if (check_cuda(status, "counting CUDA devices")) return -1;
    *count = n;
    return 0;
}

int t7cu_set_device(int device) {
    int n = 0;
    if (t7cu_device_count(&n)) return -1;
    if (device < 0 || device >= n || device >= T7CU_MAX_DEVICES) {
        return fail("device %d does not exist (%d CUDA devices, counted from 0)", device, n);
    }
    return check_cuda(cudaSetDevice(device), "setting the device");
}

int t7cu_get_device(void) { return current_device(); }

int t7cu_device_info(int device, T7CudaDeviceInfo *info) {
    cudaDeviceProp prop;
    if (check_cuda(cudaGetDeviceProperties(&prop, device), "reading device properties")) {
        return -1;
    }
    snprintf(info->name, sizeof info->name, "%s", prop.name);
    info->major = prop.major;
    info->minor = prop.minor;
    info->multi_processor_count = prop.multiProcessorCount;
    info->warp_size = prop.warpSize;
    info->total_global_mem = static_cast<int64_t>(prop.totalGlobalMem);
    info->shared_mem_per_block = static_cast<int64_t>(prop.sharedMemPerBlock);
    info->max_threads_per_block = prop.maxThreadsPerBlock;
    int clock = 0;
    cudaDeviceGetAttribute(&clock, cudaDevAttrClockRate, device);
    info->clock_rate_khz = clock;
    return 0;
}

int t7cu_synchronize(void) {
    return check_cuda(cudaDeviceSynchronize(), "synchronizing the device");
}

int t7cu_memory_usage(int device, int64_t *free_bytes, int64_t *total_bytes) {
    int previous = current_device();
    if (check_cuda(cudaSetDevice(device), "selecting the device")) return -1;
    size_t free_now = 0, total = 0;
    int status = check_cuda(cudaMemGetInfo(&free_now, &total), "reading memory usage");
    cudaSetDevice(previous);
    *free_bytes = static_cast<int64_t>(free_now);
    *total_bytes = static_cast<int64_t>(total);
    return status;
}

int t7cu_allocator_stats(int device, T7CudaAllocatorStats *stats) {
    if (device < 0 || device >= T7CU_MAX_DEVICES) return fail("no device %d", device);
    Allocator &a = allocator();
    std::lock_guard<std::mutex> lock(a.mutex);
    stats->allocated = a.allocated[device];
    stats->reserved = a.reserved[device];
    return 0;
}

int t7cu_empty_cache(void) {
    Allocator &a = allocator();
    std::lock_guard<std::mutex> lock(a.mutex);
    release_cached(a, current_device());
    return 0;
}

int t7cu_reserve_streams(int count) {
    if (count < 0 || count >= T7CU_MAX_STREAMS) {
        return fail("cannot reserve %d streams (at most %d)", count, T7CU_MAX_STREAMS - 1);
    }
    {
        std::lock_guard<std::mutex> lock(stream_mutex);
        if (count > reserved_streams) reserved_streams = count;
    }
    return ensure_streams(current_device());
}

int t7cu_get_num_streams(void) { return reserved_streams; }

int t7cu_set_stream(int index) {
    if (index < 0 || index > reserved_streams) {
        return fail("stream %d does not exist (%d reserved; 0 is the default stream)", index,
                    reserved_streams);
    }
    int device = current_device();
    if (ensure_streams(device)) return -1;
    current_stream_index[device] = index;
    return 0;
}

int t7cu_get_stream(void) { return current_stream_index[current_device()]; }

int t7cu_stream_wait_for(int waiting, const int32_t *waited, int count) {
    int device = current_device();
    for (int i = -1; i < count; ++i) {
        int index = i < 0 ? waiting : waited[i];
        if (index < 0 || index > reserved_streams) {
            return fail("stream %d does not exist (%d reserved)", index, reserved_streams);
        }
    }
    cudaStream_t target = stream_at(device, waiting);
    for (int i = 0; i < count; ++i) {
        if (waited[i] == waiting) continue;
        cudaEvent_t event;
        if (check_cuda(cudaEventCreateWithFlags(&event, cudaEventDisableTiming),
                       "creating an event")) return -1;
        int status = check_cuda(cudaEventRecord(event, stream_at(device, waited[i])),
                                "recording an event");
        if (!status) {
            status = check_cuda(cudaStreamWaitEvent(target, event, 0), "waiting for a stream");
        }
        cudaEventDestroy(event);  // released once the wait it serves is done
        if (status) return -1;
    }
    return 0;
}

int t7cu_stream_synchronize(int index) {
    if (index < 0 || index > reserved_streams) {
        return fail("stream %d does not exist (%d reserved)", index, reserved_streams);
    }
    return check_cuda(cudaStreamSynchronize(stream_at(current_device(), index)),
                      "synchronizing a stream");
}

int t7cu_manual_seed(uint64_t seed) {
    random_seed = seed;
    random_offset = 0;
    return 0;
}

uint64_t t7cu_initial_seed(void) { return random_seed; }

}  // extern "C"
