"""The wire format both sync programs speak: request/response shapes and evidence items.

``evidence_items`` is plain Python (the client builds pushes with it); ``protocol`` holds
the pydantic models the server validates with and publishes as its OpenAPI spec.
"""
