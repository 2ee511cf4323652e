package dev.maas.runtime.http;

import dev.maas.runtime.tls.ServerTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * The first handler of a connection on an HTTPS port: a TLS record starts the TLS handshake with
 * the certificate in use now; a plaintext request (someone's {@code http://} URL) is told in plain
 * HTTP what to use instead and the connection closed, rather than a TLS alert it cannot read.
 */
final class TlsOrPlaintext extends ByteToMessageDecoder {
  /** A TLS record header's length: what {@link SslHandler#isEncrypted} needs to decide. */
  private static final int RECORD_HEADER = 5;

  private final ServerTls tls;

  TlsOrPlaintext(ServerTls tls) {
    this.tls = tls;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < RECORD_HEADER) {
      return;
    }
    if (SslHandler.isEncrypted(in)) {
      ctx.pipeline().replace(this, "tls", tls.context().newHandler(ctx.alloc()));
      return;
    }
    in.skipBytes(in.readableBytes());
    RawResponses.answerAndClose(
        ctx,
        400,
        "Bad Request",
        "this port speaks HTTPS: send the request to https://, not http://");
  }
}
