# float16 (IEEE 754 binary16) storage for HalfTensor/HalfStorage: conversions to and from
# float32 rounding to nearest even, copies between Half and every other type, and fill.
# As the original, other values reach half through float32 ((float)x first) and leave it
# through float32; every NaN becomes the one quiet NaN the original produced.

from libc.stdint cimport uint32_t

cdef union FloatBits:
    float f
    uint32_t u


cdef inline float half_to_float(uint16_t h) noexcept nogil:
    cdef uint32_t sign = (<uint32_t>h & 0x8000) << 16
    cdef uint32_t exponent = (h >> 10) & 0x1f
    cdef uint32_t mantissa = h & 0x3ff
    cdef FloatBits bits
    if exponent == 0x1f:
        bits.u = 0x7fffffff if mantissa else (sign | 0x7f800000)
    elif exponent != 0:
        bits.u = sign | ((exponent + 112) << 23) | (mantissa << 13)
    elif mantissa == 0:
        bits.u = sign
    else:
        # a subnormal half is a normal float: shift the leading one into the implicit bit
        exponent = 113
        while not (mantissa & 0x400):
            mantissa <<= 1
            exponent -= 1
        bits.u = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13)
    return bits.f


cdef inline uint16_t float_to_half(float value) noexcept nogil:
    cdef FloatBits bits
    bits.f = value
    cdef uint32_t magnitude = bits.u & 0x7fffffff
    cdef uint16_t sign = (bits.u >> 16) & 0x8000
    if magnitude > 0x7f800000:          # NaN
        return 0x7fff
    if magnitude >= 0x477ff000:         # 65520 and beyond round to infinity
        return sign | 0x7c00
    if magnitude <= 0x33000000:         # 2^-25 and below round to zero
        return sign
    cdef uint32_t exponent = magnitude >> 23
    cdef uint32_t mantissa = magnitude & 0x7fffff
    cdef uint32_t shift, half_exponent
    if exponent > 112:
        shift = 13
        half_exponent = exponent - 112
    else:                               # below 2^-14: a subnormal half
        shift = 126 - exponent
        half_exponent = 0
        mantissa |= 0x800000
    cdef uint32_t dropped = mantissa & ((<uint32_t>1 << shift) - 1)
    cdef uint32_t halfway = <uint32_t>1 << (shift - 1)
    # adding 1 to the packed bits carries a full mantissa into the exponent, as it should
    cdef uint32_t result = (half_exponent << 10) + (mantissa >> shift)
    if dropped > halfway or (dropped == halfway and (result & 1)):
        result += 1
    return sign | <uint16_t>result


cdef public float t7_half_to_float(uint16_t h) noexcept nogil:
    return half_to_float(h)


cdef public uint16_t t7_float_to_half(float value) noexcept nogil:
    return float_to_half(value)


# Contiguous float32 <-> float16 runs use the F16C instructions where the processor has
# them (checked at run time): the same rounding to nearest even, with NaNs made the
# original's afterwards. Each returns how many leading elements it converted.
cdef extern from *:
    """
    #if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    #include <immintrin.h>
    static int t7_f16c = -1;
    static int t7_has_f16c(void) {
        if (t7_f16c < 0)
            t7_f16c = __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
        return t7_f16c;
    }
    __attribute__((target("avx,f16c")))
    static int64_t t7_floats_to_halves_f16c(const float *src, uint16_t *dst, int64_t n) {
        const __m128i nan = _mm_set1_epi16(0x7fff);
        int64_t i = 0;
        for (; i + 8 <= n; i += 8) {
            __m256 x = _mm256_loadu_ps(src + i);
            __m128i h = _mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT);
            __m256i unordered = _mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q));
            __m128i mask = _mm_packs_epi32(_mm256_castsi256_si128(unordered),
                                           _mm256_extractf128_si256(unordered, 1));
            _mm_storeu_si128((__m128i *)(dst + i), _mm_blendv_epi8(h, nan, mask));
        }
        return i;
    }
    __attribute__((target("avx,f16c")))
    static int64_t t7_halves_to_floats_f16c(const uint16_t *src, float *dst, int64_t n) {
        const __m256 nan = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
        int64_t i = 0;
        for (; i + 8 <= n; i += 8) {
            __m128i h = _mm_loadu_si128((const __m128i *)(src + i));
            __m128i magnitude = _mm_and_si128(h, _mm_set1_epi16(0x7fff));
            __m128i is_nan = _mm_cmpgt_epi16(magnitude, _mm_set1_epi16(0x7c00));
            __m256 mask = _mm256_castsi256_ps(_mm256_set_m128i(
                _mm_unpackhi_epi16(is_nan, is_nan), _mm_unpacklo_epi16(is_nan, is_nan)));
            _mm256_storeu_ps(dst + i, _mm256_blendv_ps(_mm256_cvtph_ps(h), nan, mask));
        }
        return i;
    }
    #else
    static int t7_has_f16c(void) { return 0; }
    static int64_t t7_floats_to_halves_f16c(const float *s, uint16_t *d, int64_t n) {
        (void)s; (void)d; (void)n; return 0;
    }
    static int64_t t7_halves_to_floats_f16c(const uint16_t *s, float *d, int64_t n) {
        (void)s; (void)d; (void)n; return 0;
    }
    #endif
    """
    int t7_has_f16c() nogil
    int64_t t7_floats_to_halves_f16c(const float *src, uint16_t *dst, int64_t n) nogil
    int64_t t7_halves_to_floats_f16c(const uint16_t *src, float *dst, int64_t n) nogil


cdef struct HalfCopyCtx:
    const T7Tensor *dst
    const T7Tensor *src


cdef void to_half_range(real *stag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef HalfCopyCtx *c = <HalfCopyCtx *>vctx
    cdef Walker wd, ws
    walker_init(&wd, c.dst, start)
    walker_init(&ws, c.src, start)
    cdef int64_t i, n, sd, ss, left = end - start
    cdef uint16_t *d
    cdef real *s
    while left > 0:
        n = min2(left, min2(walker_run(&wd), walker_run(&ws)))
        d = <uint16_t *>wd.ptr
        s = <real *>ws.ptr
        sd = walker_step(&wd, 2)
        ss = walker_step(&ws, sizeof(real))
        i = 0
        if real is float:
            if sd == 1 and ss == 1 and t7_has_f16c():
                i = t7_floats_to_halves_f16c(s, d, n)
        while i < n:
            d[i * sd] = float_to_half(<float>s[i * ss])
            i += 1
        walker_advance(&wd, n)
        walker_advance(&ws, n)
        left -= n


cdef void from_half_range(real *dtag, void *vctx, int64_t start, int64_t end) noexcept nogil:
    cdef HalfCopyCtx *c = <HalfCopyCtx *>vctx
    cdef Walker wd, ws
    walker_init(&wd, c.dst, start)
    walker_init(&ws, c.src, start)
    cdef int64_t i, n, sd, ss, left = end - start
    cdef real *d
    cdef uint16_t *s
    while left > 0:
        n = min2(left, min2(walker_run(&wd), walker_run(&ws)))
        d = <real *>wd.ptr
        s = <uint16_t *>ws.ptr
        sd = walker_step(&wd, sizeof(real))
        ss = walker_step(&ws, 2)
        i = 0
        if real is float:
            if sd == 1 and ss == 1 and t7_has_f16c():
                i = t7_halves_to_floats_f16c(s, d, n)
        while i < n:
            d[i * sd] = <real>half_to_float(s[i * ss])
            i += 1
        walker_advance(&wd, n)
        walker_advance(&ws, n)
        left -= n


cdef range_fn TO_HALF[7]
TO_HALF[:] = [<range_fn>to_half_range[uint8_t], <range_fn>to_half_range[int8_t],
              <range_fn>to_half_range[int16_t], <range_fn>to_half_range[int32_t],
              <range_fn>to_half_range[int64_t], <range_fn>to_half_range[float],
              <range_fn>to_half_range[double]]
cdef range_fn FROM_HALF[7]
FROM_HALF[:] = [<range_fn>from_half_range[uint8_t], <range_fn>from_half_range[int8_t],
                <range_fn>from_half_range[int16_t], <range_fn>from_half_range[int32_t],
                <range_fn>from_half_range[int64_t], <range_fn>from_half_range[float],
                <range_fn>from_half_range[double]]


cdef inline void as_raw_16_bits(T7Tensor *view, const T7Tensor *t) noexcept nogil:
    """A borrowed copy of t's geometry whose elements read as the raw 16-bit words."""
    memcpy(view, t, sizeof(T7Tensor))
    view._dtype = T7_SHORT


cdef int copy_half(T7Tensor *dst, const T7Tensor *src) noexcept nogil:
    """t7_tensor_copy when either side is Half (element counts already checked)."""
    cdef HalfCopyCtx c
    cdef T7Tensor draw, sraw
    cdef int64_t n = nelement(dst)
    if dst._dtype == T7_HALF and src._dtype == T7_HALF:
        if dst == src:
            return 0
        as_raw_16_bits(&draw, dst)
        as_raw_16_bits(&sraw, src)
        return t7_tensor_copy(&draw, &sraw)
    c.dst = dst
    c.src = src
    if dst._dtype == T7_HALF:
        run_blocks(TO_HALF[src._dtype], &c, n, 2)
    else:
        run_blocks(FROM_HALF[dst._dtype], &c, n, 2)
    return 0


cdef int fill_half(T7Tensor *t, double value) noexcept nogil:
    """t7_tensor_fill on a HalfTensor: the converted bit pattern, written as 16-bit words."""
    cdef T7Tensor raw
    as_raw_16_bits(&raw, t)
    cdef uint16_t h = float_to_half(<float>value)
    return t7_tensor_fill(&raw, <double>(<int16_t>h))
