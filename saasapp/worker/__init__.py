"""RQ queues, job functions (thin: ids in, services called) and the periodic schedule."""
