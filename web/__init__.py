"""The web platform (云平台): a read-only problem list, problem pages and figures in a browser."""
