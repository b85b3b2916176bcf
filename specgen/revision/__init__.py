"""The 新旧対照表 between two versions of a project (specgen diff): find, compare, render."""
