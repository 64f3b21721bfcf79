"""Reading and writing CSV for the Lua `csvigo` package (its Lua side: lua/csvigo/init.lua),
over Python's csv.

Fields are bytes as the file has them (csvigo never converted values): files are read as
latin-1, which maps every byte to one character and back. Rows cross to Lua in lua_values'
form; rows from Lua come as one string of length-prefixed fields (see lua/csvigo).
"""
import csv
import io

from . import lua_values


def _dialect(separator):
    # csvigo's ' ' separator took any run of white space
    return {"delimiter": separator, "quotechar": '"', "doublequote": True,
            "skipinitialspace": separator == " ", "strict": False}


def _rows(text, separator):
    # Each blank line is one empty field, as csvigo read it; \r is dropped as it did.
    return [[field.encode("latin-1") for field in (row or [""])]
            for row in csv.reader(io.StringIO(text.replace("\r", ""), newline=""),
                                  **_dialect(separator))]


def read_file(path, separator):
    """The rows of a file, in lua_values' form."""
    try:
        with open(path, encoding="latin-1", newline="") as f:
            text = f.read()
    except OSError as e:
        raise OSError("%s: %s" % (path, e.strerror)) from None
    return lua_values.pack(_rows(text, separator))[0]


def read_line(line_tensor, separator):
    """The fields of one line, in lua_values' form."""
    text = bytes(line_tensor.numpy()).decode("latin-1") if line_tensor is not None else ""
    rows = _rows(text, separator) or [[b""]]
    return lua_values.pack(rows[0])[0]


def _decode_rows(encoded):
    """Rows from Lua: each field '<length>:<bytes>', each row ended by ';'."""
    rows, row, i = [], [], 0
    while i < len(encoded):
        if encoded[i:i + 1] == b";":
            rows.append(row)
            row, i = [], i + 1
            continue
        colon = encoded.index(b":", i)
        length = int(encoded[i:colon])
        row.append(encoded[colon + 1:colon + 1 + length].decode("latin-1"))
        i = colon + 1 + length
    return rows


def format_rows(encoded_tensor, separator):
    """CSV text (lines ending in \\n) for the rows Lua sent; fields holding the separator,
    a quote or a line break are quoted."""
    encoded = bytes(encoded_tensor.numpy()) if encoded_tensor is not None else b""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, quotechar='"', doublequote=True,
                        lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(_decode_rows(encoded))
    return out.getvalue().encode("latin-1")
