"""One router per resource; :mod:`redchain.api.api` mounts them."""
