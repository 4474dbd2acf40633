"""Placeholder diagnostic WSGI app for the real fleet, used until
apps/collector/assets/driftwatch_diag.py exists: the facts of the guide's test script as JSON."""
import json
import sys


def application(environ, start_response):
    facts = {
        'process_group': environ.get('mod_wsgi.process_group'),
        'application_group': environ.get('mod_wsgi.application_group'),
        'multithread': environ.get('wsgi.multithread'),
        'multiprocess': environ.get('wsgi.multiprocess'),
        'sys.version': sys.version,
        'sys.prefix': sys.prefix,
        'sys.path': sys.path,
    }
    body = json.dumps(facts).encode('utf-8')
    start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
    return [body]
