"""torch.XStorage(name, shared, size, true): a POSIX shared memory object (/dev/shm/name on
Linux), as torch7's test/test_sharedmem.lua describes it: made on demand, seen by a second
mapping and by another process, removed when the storage is freed."""
import os
import uuid

import numpy as np
import pytest

from conftest import run_th

pytestmark = pytest.mark.skipif(not os.path.isdir("/dev/shm"), reason="no /dev/shm here")


@pytest.fixture
def name():
    shm_name = "t7test_" + uuid.uuid4().hex
    yield shm_name
    if os.path.exists("/dev/shm/" + shm_name):
        os.unlink("/dev/shm/" + shm_name)


def test_the_object_lives_in_dev_shm_and_goes_with_the_storage(lua, name):
    path = "/dev/shm/" + name
    lua("""
    local name = ...
    shm_storage = torch.DoubleStorage(name, true, 5, true)
    for i = 1, 5 do shm_storage[i] = i / 4 end
    """, name)
    assert os.path.getsize(path) == 5 * 8
    np.testing.assert_array_equal(np.fromfile(path, dtype=np.float64),
                                  np.arange(1, 6) / 4)
    # a plain mapping of the same file sees the writes both ways
    seen = lua("""
    local other = torch.DoubleStorage(..., true, 5)
    other[2] = -1
    return shm_storage[2], other[5]
    """, path)
    assert seen == (-1, 1.25)
    lua("shm_storage = nil; collectgarbage(); collectgarbage()")
    assert not os.path.exists(path)


def test_another_process_reads_and_writes_the_same_memory(lua, name):
    lua("""
    shm_storage = torch.FloatStorage(..., true, 3, true)
    shm_storage:fill(7)
    """, name)
    result = run_th("-e", """
    local s = torch.FloatStorage('%s', true, 3, true)
    print(s[1] + s[3])
    s[2] = 42
    """ % name)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) == 14
    assert lua("return shm_storage[2]") == 42
    lua("shm_storage = nil; collectgarbage(); collectgarbage()")


def test_a_name_that_cannot_be_opened_is_an_error(t7, lua):
    with pytest.raises(t7.LuaError, match="unable to open shared memory object <a/b>"):
        lua("torch.FloatStorage('a/b', true, 3, true)")
    with pytest.raises(t7.LuaError, match="read-only"):
        lua("torch.FloatStorage('t7test_absent_%s', false, 3, true)" % uuid.uuid4().hex)
