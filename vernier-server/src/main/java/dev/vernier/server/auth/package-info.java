/**
 * Who may call the server: AWS Signature Version 4 verification ({@link dev.vernier.server.auth.SigV4Verifier})
 * against the server's access keys ({@link dev.vernier.server.auth.AccessKeys}).
 */
package dev.vernier.server.auth;
