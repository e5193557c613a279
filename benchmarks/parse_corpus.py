"""A synthetic Beamtalk source of a given number of lines, shaped like real programs."""

from __future__ import annotations

UNIT = '''/// A counter.
Actor subclass: Counter{n}
  state: value = 0
  state: step = 1
  classState: instances = 0

  increment => self.value := self.value + self.step
  incrementBy: n =>
    | old |
    old := self.value
    self.value := old + n * 2 - (n \\ 3)
    ^self.value
  describe => "Counter{n} at {{self.value}}"
  class named: aName => ^self spawnWith: #{{#value => 0, #step => 1}}

Counter{n} >> double =>
  self.value := self.value * 2

c := Counter{n} spawn
r := (1 to: 10) inject: 0 into: [:acc :i | acc + (i * i)]
total := #(1, 2, 3) collect: [:x |
  x > 1
    ifTrue: [x * -1]
    ifFalse: [x ** 2]]
Transcript show: 'total: '; show: total printString; cr
'''


def source(lines: int) -> str:
    """About `lines` lines of Beamtalk, made of numbered copies of one unit."""
    unit_lines = UNIT.count("\n")
    copies = max(1, lines // unit_lines)
    return "\n".join(UNIT.format(n=i) for i in range(copies))


PY_UNIT = '''class Counter{n}:
    """A counter."""
    instances = 0

    def __init__(self, value=0, step=1):
        self.value = value
        self.step = step

    def increment(self):
        self.value = self.value + self.step

    def increment_by(self, n):
        old = self.value
        self.value = old + n * 2 - (n % 3)
        return self.value

    def describe(self):
        return f"Counter{n} at {{self.value}}"


c = Counter{n}()
r = sum(i * i for i in range(1, 11))
total = [x * -1 if x > 1 else x ** 2 for x in [1, 2, 3]]
print("total: " + repr(total))
'''


def python_source(lines: int) -> str:
    """About `lines` lines of Python of the same shape, the baseline for parsing speed."""
    copies = max(1, lines // PY_UNIT.count("\n"))
    return "\n".join(PY_UNIT.format(n=i) for i in range(copies))
