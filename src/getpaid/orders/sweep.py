"""``getpaid-sweep``: run the sweeper on a Zope instance, for cron.

getpaid-sweep instance/etc/zope.conf [--site Plone]

# crontab: every ten minutes
*/10 * * * * /srv/shop/.venv/bin/getpaid-sweep /srv/shop/instance/etc/zope.conf
"""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SpecialUsers import system
from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import setRequest

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Time out and expire due orders.")
    parser.add_argument("zope_conf")
    parser.add_argument("--site", default="Plone")
    args = parser.parse_args(argv)

    from getpaid.orders.api.sweeper import sweep
    from Zope2.Startup.run import make_wsgi_app

    import Zope2

    make_wsgi_app({}, args.zope_conf)
    app = makerequest(Zope2.app())
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    site = app.get(args.site)
    if site is None:
        print(f"No site {args.site!r} in this instance.", file=sys.stderr)
        return 2
    setSite(site)
    print(sweep())
    app._p_jar.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
