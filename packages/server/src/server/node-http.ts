/**
 * node:http as CommonJS gets it. An ES import of node:http makes Node build the module's ES facade,
 * which reads every export, including the lazy WebSocket, CloseEvent and MessageEvent getters that
 * load undici: about 30 ms of every start, for classes the server never uses.
 */
export const nodeHttp = process.getBuiltinModule('node:http');
