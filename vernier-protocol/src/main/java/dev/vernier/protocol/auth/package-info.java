/**
 * Who may call the server: AWS Signature Version 4 verification ({@link dev.vernier.protocol.auth.SigV4Verifier})
 * against the server's access keys ({@link dev.vernier.protocol.auth.AccessKeys}).
 */
package dev.vernier.protocol.auth;
