from channels.generic.websocket import JsonWebsocketConsumer


class PingConsumer(JsonWebsocketConsumer):
    """Lets a page (and the health checks) see that the WebSocket server answers for a logged-in user."""

    def connect(self):
        if not self.scope["user"].is_authenticated:
            self.close(code=4401)
            return
        self.accept()

    def receive_json(self, content, **kwargs):
        self.send_json({"pong": content.get("ping")})
