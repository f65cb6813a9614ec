"""The project: settings, the root URLconf, ASGI and socket routing. Above both apps, owned by neither.

Apps depend only downwards (bothsides → reviews → whiteboard): this package may
import either app, `reviews` may import `whiteboard`, and `whiteboard` imports neither.
"""
