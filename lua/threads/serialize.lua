-- Values between thread states by copy (the default serialization of threads.Threads).
return require('threads.serializer').mode(false)
