-- Values between thread states with tensors and storages shared, not copied
-- (threads.Threads.serialization('threads.sharedserialize')).
return require('threads.serializer').mode(true)
