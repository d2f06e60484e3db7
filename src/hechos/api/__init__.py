"""HTTP API and dashboard (`hechos serve`), and the client that writes through it.

`server.create_app` builds the FastAPI app; `client.RemoteStore` / `client.find_server`
let other processes write to a database the server holds.
"""
