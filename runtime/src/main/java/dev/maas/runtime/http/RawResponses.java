package dev.maas.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * A last answer written as bytes, from a handler in front of the HTTP codec (where no request was
 * decoded), followed by closing the connection.
 */
final class RawResponses {
  private RawResponses() {}

  static void answerAndClose(ChannelHandlerContext ctx, int status, String reason, String error) {
    String body = "{\"error\":\"" + error + "\"}";
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + (status == 503 ? "\r\nRetry-After: 1" : "")
            + "\r\nConnection: close\r\n\r\n";
    ByteBuf bytes = Unpooled.copiedBuffer(head + body, StandardCharsets.UTF_8);
    ctx.writeAndFlush(bytes).addListener(ChannelFutureListener.CLOSE);
  }
}
