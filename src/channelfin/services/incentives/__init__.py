"""Use cases of a vendor's reseller-support plan: campaigns, credit lines, quotes, rebates, referrals."""
