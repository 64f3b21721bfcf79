"""The pixel work of the Lua `image` package (lua/image/init.lua): codecs through Pillow,
geometry and colour spaces in numpy.

Images are arrays in Torch7's layout, channels first (C x H x W, or H x W), with the value
range of their type: [0, 1] for floating types, [0, 255] for bytes. Each function takes
core Tensors (numpy views, no copies) and returns a new Tensor; the arithmetic follows the
original's C kernels (their interpolation rules, their rounding for byte images).
"""
import io
import math

import numpy as np

from ._native import core

DTYPES = {"byte": np.uint8, "float": np.float32, "double": np.float64}


def _array(tensor):
    return tensor.numpy()


def _tensor(array, dtype=None):
    if dtype is not None:
        array = _cast(array, dtype)
    return core.from_numpy(np.ascontiguousarray(array))


def _cast(values, dtype):
    """Floating values into `dtype`. Byte images take the original's path: the value as a
    float32, plus 0.5, saturated to [0, 255], then truncated."""
    dtype = np.dtype(dtype)
    if dtype == np.uint8:
        shifted = np.asarray(values, np.float32) + np.float32(0.5)
        return np.clip(shifted, 0, 255).astype(np.uint8)
    return np.asarray(values).astype(dtype)


def _check_image(a, name):
    if a.ndim not in (2, 3):
        raise ValueError("%s: src not 2 or 3 dimensional" % name)


# -- codecs ----------------------------------------------------------------------------------

def _decode(source, depth, tensortype):
    from PIL import Image, UnidentifiedImageError

    try:
        picture = Image.open(source)
        picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        source.seek(0)
        if source.read(4) == b"\x89PNG":
            # libpng's words, which the original passed on
            raise ValueError("Error during init_io: not a readable PNG (%s)" % e) from None
        raise ValueError("could not decode the image: %s" % e) from None
    maximum = 255.0
    if picture.mode in ("I;16", "I;16B", "I;16L", "I"):
        values = np.asarray(picture, dtype=np.float64)[None]
        maximum = 65535.0 if values.max(initial=0) > 255 or picture.mode.startswith("I;16") \
            else 255.0
    else:
        if picture.mode in ("1", "P", "CMYK", "YCbCr", "F"):
            wanted = "RGBA" if picture.mode == "P" and "transparency" in picture.info else (
                "L" if picture.mode in ("1", "F") else "RGB")
            picture = picture.convert(wanted)
        values = np.asarray(picture)
        values = values[None] if values.ndim == 2 else values.transpose(2, 0, 1)
    dtype = DTYPES[tensortype]
    if dtype == np.uint8:
        if maximum != 255.0:
            values = values * (255.0 / maximum)
        image = _cast(values, np.uint8)
    else:
        image = (np.asarray(values, np.float64) / maximum).astype(dtype)
    return _tensor(_to_depth(image, depth))


def _to_depth(image, depth):
    """The original's depth forcing: 1 gives a single gray plane (H x W from colour), 3
    repeats a gray plane or drops alpha."""
    if depth == 1:
        if image.ndim == 2:
            return image
        if image.shape[0] in (3, 4):
            return _luma(image[:3])[0]
        if image.shape[0] == 2:
            return image[:1]
        if image.shape[0] != 1:
            raise ValueError("image loaded has wrong #channels")
    elif depth == 3:
        if image.ndim == 2:
            return np.repeat(image[None], 3, axis=0)
        if image.shape[0] == 4:
            return image[:3]
        if image.shape[0] == 1:
            return np.repeat(image, 3, axis=0)
        if image.shape[0] != 3:
            raise ValueError("image loaded has wrong #channels")
    return image


def load(filename, depth, tensortype):
    with open(filename, "rb") as f:
        return _decode(io.BytesIO(f.read()), depth, tensortype)


def netpbm_magic(filename):
    """The magic number of a PPM/PGM file ('P2', 'P3', 'P5', 'P6'), or an error."""
    with open(filename, "rb") as f:
        magic = f.read(2)
    if magic not in (b"P2", b"P3", b"P5", b"P6"):
        raise ValueError("unsupported magic number: %r" % magic.decode("latin-1"))
    return magic.decode()


def decompress(blob, depth, tensortype):
    return _decode(io.BytesIO(_array(blob).tobytes()), depth, tensortype)


def size_of(filename):
    """(channels, height, width) of an image file, read from its header."""
    from PIL import Image

    with Image.open(filename) as picture:
        channels = len(picture.getbands())
        return channels, picture.height, picture.width


def _to_picture(tensor):
    from PIL import Image

    a = _array(tensor)
    _check_image(a, "image.save")
    if a.dtype != np.uint8:
        # into [0, 1], then to bytes by truncation, as the original wrote them
        a = (np.clip(np.asarray(a, np.float64), 0, 1) * 255).astype(np.uint8)
    if a.ndim == 3:
        if a.shape[0] == 1:
            a = a[0]
        elif a.shape[0] in (3, 4):
            a = a.transpose(1, 2, 0)
        else:
            raise ValueError("image.save: an image has 1, 3 or 4 channels, not %d" % a.shape[0])
    return Image.fromarray(np.ascontiguousarray(a))


def save(filename, tensor, kind, quality):
    picture = _to_picture(tensor)
    if kind == "jpg":
        picture.convert("L" if picture.mode == "L" else "RGB").save(
            filename, format="JPEG", quality=int(quality))
    elif kind in ("ppm", "pgm"):
        picture.convert("L" if kind == "pgm" else "RGB").save(filename, format="PPM")
    else:
        picture.save(filename, format="PNG")


def compress(tensor, kind, quality):
    """The bytes of the image encoded as 'png' or 'jpg', as a ByteTensor."""
    picture = _to_picture(tensor)
    out = io.BytesIO()
    if kind == "jpg":
        picture.convert("L" if picture.mode == "L" else "RGB").save(
            out, format="JPEG", quality=int(quality))
    else:
        picture.save(out, format="PNG")
    return _tensor(np.frombuffer(out.getvalue(), dtype=np.uint8).copy())


# -- geometry --------------------------------------------------------------------------------

def _planes(a):
    """The image as C x H x W (a gray H x W image gets one plane) and a function undoing it."""
    if a.ndim == 2:
        return a[None], lambda r: r[0]
    return a, lambda r: r


def _area_bounds(n, out_len):
    """For each output of a shrink from n to out_len samples: where its area starts and
    ends in the input (index and fraction), computed in float32 as the original did."""
    scale = np.float32(n) / np.float32(out_len)
    end = (np.arange(1, out_len + 1, dtype=np.float32) * scale).astype(np.float32)
    end_i = end.astype(np.int64)
    end_f = (end - end_i).astype(np.float64)
    start_i = np.concatenate([[0], end_i[:-1]])
    start_f = np.concatenate([[0.0], end_f[:-1]])
    return start_i, start_f, end_i, end_f


def _shrink(values, out_len, dtype):
    """Area averaging along the last axis. Byte images follow the original's float32
    running sums and round each output; the others use prefix sums."""
    n = values.shape[-1]
    start_i, start_f, end_i, end_f = _area_bounds(n, out_len)
    inside = end_i < n
    last = np.minimum(end_i, n - 1)
    count = (1 - start_f) + np.maximum(end_i - start_i - 1, 0) + np.where(inside, end_f, 0)
    if dtype == np.uint8:
        out = np.empty(values.shape[:-1] + (out_len,), np.float32)
        for d in range(out_len):
            acc = np.float32(1 - start_f[d]) * values[..., start_i[d]]
            if end_i[d] > start_i[d] + 1:
                acc = acc + values[..., start_i[d] + 1:end_i[d]].sum(axis=-1)
            if inside[d]:
                acc = acc + np.float32(end_f[d]) * values[..., end_i[d]]
            out[..., d] = _cast(acc / np.float32(count[d]), dtype)
        return out
    prefix = np.concatenate([np.zeros(values.shape[:-1] + (1,)), np.cumsum(values, axis=-1)],
                            axis=-1)
    middle = prefix[..., np.maximum(end_i, start_i + 1)] - prefix[..., start_i + 1]
    acc = ((1 - start_f) * values[..., start_i] + middle
           + np.where(inside, end_f, 0) * values[..., last])
    return acc / count


def _linear_axis(values, axis, out_len):
    """The original's bilinear resampling along one axis: interpolation when growing,
    area averaging when shrinking. Byte images are worked in float32 and rounded back to
    bytes, as the original's C did."""
    dtype = values.dtype
    work = np.float32 if dtype == np.uint8 else np.float64
    # the resampled axis last and contiguous: the gathers below then read memory in order
    values = np.ascontiguousarray(np.moveaxis(np.asarray(values, work), axis, -1))
    n = values.shape[-1]
    if out_len > n:
        out = np.empty(values.shape[:-1] + (out_len,), work)
        if n == 1:
            out[...] = values[..., :1]
        else:
            scale = np.float32(n - 1) / np.float32(out_len - 1)
            position = (np.arange(out_len - 1, dtype=np.float32) * scale).astype(np.float32)
            index = position.astype(np.int64)
            frac = (position - index).astype(work)
            out[..., :-1] = _cast((1 - frac) * values[..., index] + frac * values[..., index + 1],
                                  dtype)
        out[..., -1] = values[..., -1]
    elif out_len < n:
        out = _shrink(values, out_len, dtype)
    else:
        out = values
    return np.moveaxis(out.astype(dtype), -1, axis)


def _cubic_axis(values, axis, out_len):
    """The original's cubic resampling along one axis (a Catmull-Rom spline through the
    samples, continued linearly past the ends)."""
    values = np.moveaxis(np.asarray(values, np.float64), axis, -1)
    n = values.shape[-1]
    if out_len == n:
        return np.moveaxis(values.copy(), -1, axis)
    out = np.empty(values.shape[:-1] + (out_len,))
    if n == 1:
        out[...] = values
    elif out_len == 1:
        out[..., 0] = values[..., -1]
    else:
        scale = np.float32(n - 1) / np.float32(out_len - 1)
        position = (np.arange(out_len - 1, dtype=np.float32) * scale).astype(np.float32)
        index = position.astype(np.int64)
        t = (position - index).astype(np.float64)
        p1 = values[..., index]
        p2 = values[..., index + 1]
        # past the ends the line through the two nearest samples goes on
        p0 = np.where(index > 0, values[..., np.maximum(index - 1, 0)], 2 * p1 - p2)
        p3 = np.where(index + 2 < n, values[..., np.minimum(index + 2, n - 1)], 2 * p2 - p1)
        out[..., :-1] = p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3
                                                       + t * (3 * (p1 - p2) + p3 - p0)))
        out[..., -1] = values[..., -1]
    return np.moveaxis(out, -1, axis)


def scale(tensor, width, height, mode):
    a = _array(tensor)
    _check_image(a, "image.scale")
    planes, undo = _planes(a)
    width, height = int(width), int(height)
    if mode == "simple":
        sx = np.float32(planes.shape[2]) / np.float32(width)
        sy = np.float32(planes.shape[1]) / np.float32(height)
        cols = np.minimum((np.arange(width, dtype=np.float32) * sx).astype(np.int64),
                          planes.shape[2] - 1)
        rows = np.minimum((np.arange(height, dtype=np.float32) * sy).astype(np.int64),
                          planes.shape[1] - 1)
        result = planes[:, rows][:, :, cols]
    elif mode == "bilinear":
        result = _linear_axis(_linear_axis(planes, 2, width), 1, height)
    elif mode == "bicubic":
        rows = _cast(_cubic_axis(planes, 2, width), a.dtype)
        result = _cubic_axis(rows, 1, height)
    else:
        raise ValueError("mode must be one of: simple | bicubic | bilinear")
    return _tensor(undo(result), a.dtype)


def crop(tensor, x1, y1, x2, y2):
    a = _array(tensor)
    _check_image(a, "image.crop")
    x1, y1, x2, y2 = int(x1), int(y1), int(x2), int(y2)
    h, w = a.shape[-2:]
    if x1 < 0 or y1 < 0 or x2 > w or y2 > h or x2 <= x1 or y2 <= y1:
        raise ValueError("image.crop: crop goes outside bounds of src")
    return _tensor(a[..., y1:y2, x1:x2].copy())


def translate(tensor, dx, dy):
    """Shifted right by dx and down by dy; what comes in is zero."""
    a = _array(tensor)
    _check_image(a, "image.translate")
    dx, dy = int(dx), int(dy)
    out = np.zeros_like(a)
    h, w = a.shape[-2:]
    if abs(dx) < w and abs(dy) < h:
        src_rows = slice(max(0, -dy), h - max(0, dy))
        dst_rows = slice(max(0, dy), h - max(0, -dy))
        src_cols = slice(max(0, -dx), w - max(0, dx))
        dst_cols = slice(max(0, dx), w - max(0, -dx))
        out[..., dst_rows, dst_cols] = a[..., src_rows, src_cols]
    return _tensor(out)


def rotate(tensor, theta, mode):
    """Rotated by theta radians about the centre; corners that come from outside are 0."""
    a = _array(tensor)
    _check_image(a, "image.rotate")
    planes, undo = _planes(np.asarray(a, np.float64))
    _, h, w = planes.shape
    xc, yc = (w - 1) / 2.0, (h - 1) / 2.0
    c, s = np.float32(math.cos(theta)), np.float32(math.sin(theta))
    j, i = np.meshgrid(np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32),
                       indexing="ij")
    x = c * (i - xc) - s * (j - yc) + xc
    y = c * (j - yc) + s * (i - xc) + yc
    if mode == "simple":
        ii, jj = np.round(x).astype(np.int64), np.round(y).astype(np.int64)
        inside = (ii >= 0) & (ii <= w - 1) & (jj >= 0) & (jj <= h - 1)
        out = np.where(inside, planes[:, np.clip(jj, 0, h - 1), np.clip(ii, 0, w - 1)], 0)
    elif mode == "bilinear":
        x0, y0 = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
        fx, fy = x - x0, y - y0
        inside = (x >= 0) & (x <= w - 1) & (y >= 0) & (y <= h - 1)

        def at(yy, xx):
            return planes[:, np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)]
        out = ((1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1))
               + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1)))
        out = np.where(inside, out, 0)
    else:
        raise ValueError("mode must be one of: simple | bilinear")
    return _tensor(undo(out), a.dtype)


def flip(tensor, dim):
    """Reversed along dimension dim (0-based)."""
    return _tensor(np.flip(_array(tensor), axis=int(dim)).copy())


def convolve(tensor, kernel, mode):
    """2D correlation-free convolution per plane ('valid', 'full' or 'same'), as
    torch.conv2 computes it (the kernel flipped)."""
    a = np.asarray(_array(tensor), np.float64)
    k = np.asarray(_array(kernel), np.float64)
    planes, undo = _planes(a)
    kernels = k if k.ndim == 3 else np.broadcast_to(k, (planes.shape[0],) + k.shape)
    if kernels.shape[0] != planes.shape[0]:
        raise ValueError("image.convolve: the kernel has %d planes for %d image planes"
                         % (kernels.shape[0], planes.shape[0]))
    kh, kw = kernels.shape[1:]
    h, w = planes.shape[1:]
    if mode == "valid" and (kh > h or kw > w):
        raise ValueError("image.convolve: kernel larger than the image")
    if mode in ("full", "same"):
        planes = np.pad(planes, ((0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    oh, ow = planes.shape[1] - kh + 1, planes.shape[2] - kw + 1
    out = np.zeros((planes.shape[0], oh, ow))
    flipped = kernels[:, ::-1, ::-1]
    for p in range(kh):
        for q in range(kw):
            out += flipped[:, p, q][:, None, None] * planes[:, p:p + oh, q:q + ow]
    if mode == "same":
        oy, ox = math.ceil(kh / 2) - 1, math.ceil(kw / 2) - 1
        out = out[:, oy:oy + h, ox:ox + w]
    return _tensor(undo(out), a.dtype if _array(tensor).dtype != np.uint8 else np.float64)


# -- colour ----------------------------------------------------------------------------------

def _luma(rgb):
    y = 0.299 * rgb[0].astype(np.float64) + 0.587 * rgb[1] + 0.114 * rgb[2]
    return _cast(y[None], rgb.dtype)


def rgb2y(tensor):
    a = _array(tensor)
    if a.ndim != 3 or a.shape[0] < 3:
        raise ValueError("image.rgb2y: src not 3D with 3 channels")
    return _tensor(_luma(a[:3]))


_YUV = np.array([[0.299, 0.587, 0.114], [-0.14713, -0.28886, 0.436],
                 [0.615, -0.51499, -0.10001]])
_RGB_FROM_YUV = np.array([[1, 0, 1.13983], [1, -0.39465, -0.58060], [1, 2.03211, 0]])


def _matrix_colour(tensor, matrix, name):
    a = _array(tensor)
    if a.ndim != 3 or a.shape[0] != 3:
        raise ValueError("%s: expecting a 3-channel image" % name)
    out = np.tensordot(matrix, np.asarray(a, np.float64), axes=1)
    return _tensor(out, a.dtype)


def rgb2yuv(tensor):
    return _matrix_colour(tensor, _YUV, "image.rgb2yuv")


def yuv2rgb(tensor):
    return _matrix_colour(tensor, _RGB_FROM_YUV, "image.yuv2rgb")


def _unit_planes(tensor, name):
    """The three planes as floats in [0, 1] (bytes are divided by 255) and the dtype. The
    arithmetic is float32 but for double images, as the original's C (temp_t) did."""
    a = _array(tensor)
    if a.ndim != 3 or a.shape[0] != 3:
        raise ValueError("%s: expecting a 3-channel image" % name)
    values = np.asarray(a, np.float64 if a.dtype == np.float64 else np.float32)
    if a.dtype == np.uint8:
        values = values / np.float32(255)
    return values, a.dtype


def _unit_result(values, dtype):
    if dtype == np.uint8:
        values = values * np.float32(255)
    return _tensor(values, dtype)


def rgb2hsl(tensor):
    (r, g, b), dtype = _unit_planes(tensor, "image.rgb2hsl")
    mx, mn = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
    light = (mx + mn) / 2
    d = mx - mn
    safe = np.where(d == 0, 1, d)
    sat = np.where(d == 0, 0, np.where(light > 0.5, d / np.where(2 - mx - mn == 0, 1, 2 - mx - mn),
                                       d / np.where(mx + mn == 0, 1, mx + mn)))
    hue = _hue(r, g, b, mx, safe, d)
    return _unit_result(np.stack([hue, sat, light]), dtype)


def _hue(r, g, b, mx, safe, d):
    wrap = np.where(g < b, 6, 0).astype(r.dtype)     # keeps float32 work in float32
    hue = np.where(mx == r, (g - b) / safe + wrap,
                   np.where(mx == g, (b - r) / safe + 2, (r - g) / safe + 4))
    return np.where(d == 0, 0, hue / 6)


def _hue_to_rgb(p, q, t):
    t = np.where(t < 0, t + 1, np.where(t > 1, t - 1, t))
    return np.where(t < 1 / 6, p + (q - p) * 6 * t,
                    np.where(t < 1 / 2, q, np.where(t < 2 / 3, p + (q - p) * (2 / 3 - t) * 6, p)))


def hsl2rgb(tensor):
    (h, s, l), dtype = _unit_planes(tensor, "image.hsl2rgb")
    q = np.where(l < 0.5, l * (1 + s), l + s - l * s)
    p = 2 * l - q
    rgb = np.stack([_hue_to_rgb(p, q, h + 1 / 3), _hue_to_rgb(p, q, h),
                    _hue_to_rgb(p, q, h - 1 / 3)])
    rgb = np.where(s == 0, np.stack([l, l, l]), rgb)
    return _unit_result(rgb, dtype)


def rgb2hsv(tensor):
    (r, g, b), dtype = _unit_planes(tensor, "image.rgb2hsv")
    mx, mn = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
    d = mx - mn
    safe = np.where(d == 0, 1, d)
    sat = np.where(mx == 0, 0, d / np.where(mx == 0, 1, mx))
    return _unit_result(np.stack([_hue(r, g, b, mx, safe, d), sat, mx]), dtype)


def hsv2rgb(tensor):
    (h, s, v), dtype = _unit_planes(tensor, "image.hsv2rgb")
    sector = np.floor(h * 6)
    f = h * 6 - sector
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    sector = sector.astype(np.int64) % 6
    choices = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)]
    rgb = [np.select([sector == k for k in range(6)], [c[channel] for c in choices])
           for channel in range(3)]
    return _unit_result(np.stack(rgb), dtype)


def _expand_srgb(c):
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _compress_srgb(c):
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * np.abs(c) ** (1 / 2.4) - 0.055)


_XYZ = np.array([[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169],
                 [0.019334, 0.119193, 0.950227]])
_WHITE = np.array([0.950456, 1.0, 1.088754])
_LAB_EPSILON, _LAB_KAPPA = 216 / 24389, 24389 / 27


def _float_planes(tensor, name):
    a = _array(tensor)
    if a.dtype == np.uint8:
        raise ValueError("%s: not supported for torch.ByteTensor" % name)
    if a.ndim != 3 or a.shape[0] != 3:
        raise ValueError("%s: expecting a 3-channel image" % name)
    return np.asarray(a, np.float64), a.dtype


def rgb2lab(tensor):
    """sRGB in [0, 1] to CIE L*a*b* (D65 white), as the original."""
    rgb, dtype = _float_planes(tensor, "image.rgb2lab")
    xyz = np.tensordot(_XYZ, _expand_srgb(rgb), axes=1) / _WHITE[:, None, None]
    f = np.where(xyz > _LAB_EPSILON, np.cbrt(xyz), (_LAB_KAPPA * xyz + 16) / 116)
    lab = np.stack([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])
    return _tensor(lab, dtype)


def lab2rgb(tensor):
    lab, dtype = _float_planes(tensor, "image.lab2rgb")
    fy = (lab[0] + 16) / 116
    f = np.stack([fy + lab[1] / 500, fy, fy - lab[2] / 200])
    cubed = f ** 3
    xyz = np.where(cubed > _LAB_EPSILON, cubed, (116 * f - 16) / _LAB_KAPPA)
    xyz[1] = np.where(lab[0] > _LAB_KAPPA * _LAB_EPSILON, ((lab[0] + 16) / 116) ** 3,
                      lab[0] / _LAB_KAPPA)
    xyz = xyz * _WHITE[:, None, None]
    rgb = np.tensordot(np.linalg.inv(_XYZ), xyz, axes=1)
    return _tensor(_compress_srgb(rgb), dtype)


def colorize(indices, colormap):
    """Each pixel's colour from the map: indices (H x W, 0-based) into colormap (N x C)
    give a C x H x W image."""
    idx = np.asarray(_array(indices)).astype(np.int64)
    cmap = _array(colormap)
    if idx.min(initial=0) < 0 or idx.max(initial=0) >= cmap.shape[0]:
        raise ValueError("image.y2jet: values must lie between 1 and the largest value")
    return _tensor(cmap[idx].transpose(2, 0, 1))


def draw_rect(tensor, x1, y1, x2, y2, line_width, r, g, b):
    """A copy of the 3 x H x W image with the rectangle's sides drawn (corners counted
    from 0, sides line_width pixels wide around them), as the original's drawRect."""
    a = _array(tensor).copy()
    if a.ndim != 3 or a.shape[0] != 3:
        raise ValueError("input image has to be a 3D tensor of shape 3 x H x W ")
    colour = np.array([r, g, b], np.float64)
    if a.dtype != np.uint8:
        colour = (colour.astype(np.float32) / np.float32(255)).astype(np.float64)
    h, w = a.shape[1:]
    low = int(line_width) // 2 + 1
    high = int(line_width) - low - 1
    x1l, y1l = max(0, int(x1) - low), max(0, int(y1) - low)
    x1u, y1u = min(w, int(x1) + high + 1), min(h, int(y1) + high + 1)
    x2l, y2l = max(0, int(x2) - low), max(0, int(y2) - low)
    x2u, y2u = min(w, int(x2) + high + 1), min(h, int(y2) + high + 1)
    for rows, cols in ((slice(y1l, y2u), slice(x1l, x1u)), (slice(y1l, y2u), slice(x2l, x2u)),
                       (slice(y1l, y1u), slice(x1l, x2u)), (slice(y2l, y2u), slice(x1l, x2u))):
        a[:, rows, cols] = colour.astype(a.dtype)[:, None, None]
    return _tensor(a)


# -- kernels and samples ---------------------------------------------------------------------

def gaussian(width, height, amplitude, normalize, sigma_u, sigma_v, mean_u, mean_v, dtype):
    """The original's 2D gaussian: centred at mean * size + 0.5 (1-based), spread
    sigma * size."""
    mu, mv = mean_u * width + 0.5, mean_v * height + 0.5
    u = (np.arange(width) + 1 - mu) / (sigma_u * width)
    v = (np.arange(height) + 1 - mv) / (sigma_v * height)
    g = amplitude * np.exp(-0.5 * (v[:, None] ** 2 + u[None, :] ** 2))
    g = _cast(g, dtype)
    if normalize:
        g = _cast(g / np.asarray(g, np.float64).sum(), dtype)
    return _tensor(g)


def sample(kind, dtype):
    """A synthetic test picture standing in for the original's bundled photographs:
    'colour' (3 x 512 x 512) or 'gray' (512 x 512), values k/255 in [0, 1]."""
    y, x = np.mgrid[0:512, 0:512] / 511.0
    rings = 0.5 + 0.5 * np.cos(40 * np.hypot(x - 0.4, y - 0.45))
    if kind == "gray":
        picture = 0.6 * rings + 0.4 * x
    else:
        picture = np.stack([0.7 * x + 0.3 * rings, 0.5 * (1 - y) + 0.5 * rings * x,
                            0.8 * y * (1 - x) + 0.2 * rings])
    # in steps of 1/255, as a picture read from an 8-bit file
    levels = np.round(np.clip(picture, 0, 1) * 255)
    if np.dtype(dtype) == np.uint8:
        return _tensor(levels, np.uint8)
    return _tensor(levels / 255, dtype)


def tile(tensor, nrow, padding):
    """A batch (N x C x H x W, or N x H x W) laid out on a grid, nrow images a row."""
    a = np.asarray(_array(tensor))
    if a.ndim == 3:
        a = a[:, None]
    n, c, h, w = a.shape
    columns = min(int(nrow), n)
    rows = math.ceil(n / columns)
    grid = np.zeros((c, rows * (h + padding), columns * (w + padding)), a.dtype)
    for k in range(n):
        r, q = divmod(k, columns)
        top, left = r * (h + padding) + padding // 2, q * (w + padding) + padding // 2
        grid[:, top:top + h, left:left + w] = a[k]
    return _tensor(grid[0] if c == 1 else grid)
