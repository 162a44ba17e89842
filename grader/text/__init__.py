"""One text-cleaning layer for the three readers (free-form candidates, typed answers, the expression grammar).

- ``characters``: digit scripts, direction marks, zero-width and narrow spaces, look-alike dashes, dots and
  separators -- one table each.
- ``wrappers``: math delimiters (``$…$``, ``\\[…\\]``, ``\\(…\\)``), sizing and spacing commands, left-hand
  sides, trailing punctuation.
- ``math_in_prose``: finding the math in a line of prose (runs, ``$…$`` segments, ``\\boxed{…}``, prose ratio).
"""
