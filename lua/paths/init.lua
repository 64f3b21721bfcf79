paths = paths or {} return paths
