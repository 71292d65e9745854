print("claimscan")
