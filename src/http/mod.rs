//! HTTP: the client, request items, sending through a connection.
