"""Places of the sample city (东莞): the branch bureaus that sample records name as their unit."""

BRANCHES = (
    "莞城分局",
    "南城分局",
    "东城分局",
    "虎门分局",
    "长安分局",
    "厚街分局",
    "塘厦分局",
)
