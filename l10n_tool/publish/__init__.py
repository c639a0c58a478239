"""Publishing: localised pages and the multilingual site around them."""
