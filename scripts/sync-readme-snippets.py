#!/usr/bin/env python3
"""Rewrites each ```java block of README.md that has a '<!-- snippet: ... -->' marker above it with the code the
marker names, from ergon-examples/src/main/java/io/ergon/examples/readme/ (or, for a file not there, from the same
package of its tests; the rules are ReadmeSnippetsTest's:
regions between '// [snippet NAME]' and '// [end]', less their common indentation, joined by a blank line; a file
alone is the whole file after its package line). Run it after editing that code; ReadmeSnippetsTest fails until
README.md and the code agree."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = os.path.join(ROOT, 'ergon-examples', 'src', 'main', 'java', 'io', 'ergon', 'examples', 'readme')
TEST_SOURCES = os.path.join(ROOT, 'ergon-examples', 'src', 'test', 'java', 'io', 'ergon', 'examples', 'readme')


def region(spec):
    name_of_file, _, name = spec.partition('#')
    path = os.path.join(SOURCES, name_of_file)
    if not os.path.exists(path):
        path = os.path.join(TEST_SOURCES, name_of_file)
    lines = open(path, encoding='utf-8').read().split('\n')
    if not name:
        i = next(i for i, line in enumerate(lines) if line.startswith('package '))
        body = lines[i + 1:]
        while body and not body[0].strip():
            body = body[1:]
        while body and not body[-1].strip():
            body = body[:-1]
        return body
    starts = [i for i, line in enumerate(lines) if line.strip() == '// [snippet %s]' % name]
    if len(starts) != 1:
        sys.exit('%s: region %s found %d times' % (name_of_file, name, len(starts)))
    out = []
    j = starts[0] + 1
    while lines[j].strip() != '// [end]':
        out.append(lines[j])
        j += 1
    indent = min(len(line) - len(line.lstrip()) for line in out if line.strip())
    return [line[indent:] if line.strip() else '' for line in out]


def expand(marker):
    out = []
    for spec in marker.split():
        if out:
            out.append('')
        out += region(spec)
    return '\n'.join(out)


def main():
    path = os.path.join(ROOT, 'README.md')
    text = open(path, encoding='utf-8').read()
    # the body ends at the first fence that starts a line, so an empty block (a new marker) is filled too
    pattern = re.compile(r'(<!-- snippet: (.*?) -->\n```java\n)(.*?)(^```)', re.S | re.M)
    new, count = pattern.subn(lambda m: m.group(1) + expand(m.group(2).strip()) + '\n' + m.group(4), text)
    open(path, 'w', encoding='utf-8').write(new)
    print('sync-readme-snippets: %d blocks written' % count)


if __name__ == '__main__':
    main()
