"""The ``caregraph`` sub-commands, one module per area; ``common`` holds what they share."""
