package io.huitong.perf.kiosk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One client WebSocket (RFC 6455) on a non-blocking channel, as small as the benchmark needs: the upgrade, masked
 * text frames out, unmasked text frames in (fragments joined), close. Twenty thousand of them share one selector
 * thread; each holds a few KiB, so the client's memory does not bound the run.
 */
final class WsConnection {
  interface Listener {
    void onOpen(WsConnection c);

    void onText(WsConnection c, String text);

    void onClose(WsConnection c, String why);

    /** After the frames of one read: a device answers what it has read so far, once. */
    default void onReadEnd(WsConnection c) {
    }
  }

  private static final byte[] MASK = {0, 0, 0, 0};
  final int index;
  private final SocketChannel channel;
  private final Listener listener;
  private final String host;
  private SelectionKey key;
  private ByteBuffer in = ByteBuffer.allocate(2048);
  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
  private boolean upgraded;
  private boolean closed;
  private java.io.ByteArrayOutputStream fragments;

  private WsConnection(int index, SocketChannel channel, Listener listener, String host) {
    this.index = index;
    this.channel = channel;
    this.listener = listener;
    this.host = host;
  }

  /** Starts connecting from {@code source} (any port) to {@code target}; the selector thread completes it. */
  static WsConnection open(int index, Selector selector, InetSocketAddress source, InetSocketAddress target,
                           Listener listener) throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.configureBlocking(false);
    channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
    channel.bind(source);
    WsConnection c = new WsConnection(index, channel, listener, target.getHostString() + ":" + target.getPort());
    c.key = channel.register(selector, SelectionKey.OP_CONNECT, c);
    channel.connect(target);
    return c;
  }

  boolean isOpen() {
    return upgraded && !closed;
  }

  void ready() {
    try {
      if (key.isConnectable()) {
        channel.finishConnect();
        key.interestOps(SelectionKey.OP_READ);
        String upgrade = "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: aHVpdG9uZy1iZW5jaC1rZXk=\r\nSec-WebSocket-Version: 13\r\n\r\n";
        queue(ByteBuffer.wrap(upgrade.getBytes(StandardCharsets.US_ASCII)));
        return;
      }
      if (key.isWritable()) {
        flush();
      }
      if (key.isReadable()) {
        read();
      }
    } catch (IOException | RuntimeException e) {
      close(e.toString());
    }
  }

  void sendText(String text) {
    if (closed) {
      return;
    }
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int header = payload.length < 126 ? 2 : payload.length < 65536 ? 4 : 10;
    ByteBuffer frame = ByteBuffer.allocate(header + 4 + payload.length);
    frame.put((byte) 0x81);
    if (payload.length < 126) {
      frame.put((byte) (0x80 | payload.length));
    } else if (payload.length < 65536) {
      frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
    } else {
      frame.put((byte) (0x80 | 127)).putLong(payload.length);
    }
    // A zero mask key: the frame is masked as the RFC requires, and XOR with zero leaves the payload as it is.
    frame.put(MASK).put(payload).flip();
    try {
      queue(frame);
    } catch (IOException e) {
      close(e.toString());
    }
  }

  private void queue(ByteBuffer buffer) throws IOException {
    out.add(buffer);
    flush();
  }

  private void flush() throws IOException {
    while (!out.isEmpty()) {
      ByteBuffer head = out.peek();
      channel.write(head);
      if (head.hasRemaining()) {
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        return;
      }
      out.poll();
    }
    key.interestOps(SelectionKey.OP_READ);
  }

  private void read() throws IOException {
    if (!in.hasRemaining()) {
      ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
      in.flip();
      bigger.put(in);
      in = bigger;
    }
    int n = channel.read(in);
    if (n < 0) {
      close("the bridge closed the connection");
      return;
    }
    in.flip();
    if (!upgraded && !readUpgrade()) {
      in.compact();
      return;
    }
    while (!closed && frame()) {
      // one whole frame handled
    }
    in.compact();
    if (!closed) {
      listener.onReadEnd(this);
    }
  }

  private boolean readUpgrade() {
    int end = -1;
    for (int i = in.position(); i + 3 < in.limit(); i++) {
      if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
        end = i + 4;
        break;
      }
    }
    if (end < 0) {
      return false;
    }
    byte[] head = new byte[end - in.position()];
    in.get(head);
    String response = new String(head, StandardCharsets.US_ASCII);
    if (!response.startsWith("HTTP/1.1 101")) {
      close("upgrade refused: " + response.lines().findFirst().orElse(""));
      return false;
    }
    upgraded = true;
    listener.onOpen(this);
    return true;
  }

  /** Handles one whole frame from {@link #in} if it holds one. */
  private boolean frame() {
    int start = in.position();
    if (in.remaining() < 2) {
      return false;
    }
    int b0 = in.get() & 0xff;
    int b1 = in.get() & 0xff;
    long length = b1 & 0x7f;
    if (length == 126) {
      if (in.remaining() < 2) {
        in.position(start);
        return false;
      }
      length = in.getShort() & 0xffff;
    } else if (length == 127) {
      if (in.remaining() < 8) {
        in.position(start);
        return false;
      }
      length = in.getLong();
    }
    if (in.remaining() < length) {
      in.position(start);
      return false;
    }
    byte[] payload = new byte[(int) length];
    in.get(payload);
    int opcode = b0 & 0x0f;
    boolean fin = (b0 & 0x80) != 0;
    if (opcode == 8) {
      close("close frame");
    } else if (opcode == 9) {
      ByteBuffer pong = ByteBuffer.allocate(6 + payload.length);
      pong.put((byte) 0x8a).put((byte) (0x80 | payload.length)).put(MASK).put(payload).flip();
      try {
        queue(pong);
      } catch (IOException e) {
        close(e.toString());
      }
    } else if (opcode == 1 || opcode == 0) {
      if (!fin || fragments != null) {
        if (fragments == null) {
          fragments = new java.io.ByteArrayOutputStream();
        }
        fragments.write(payload, 0, payload.length);
        if (!fin) {
          return true;
        }
        payload = fragments.toByteArray();
        fragments = null;
      }
      listener.onText(this, new String(payload, StandardCharsets.UTF_8));
    }
    return true;
  }

  void close(String why) {
    if (closed) {
      return;
    }
    closed = true;
    key.cancel();
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    listener.onClose(this, why);
  }
}
