extension HDBSCAN.CondensedTree {
    /// GLOSH outlier scores (Campello et al. 2015), `hdbscan`'s `outlier_scores_`: for a point that
    /// leaves cluster C at λ, 1 − λ / λ_max, where λ_max is the densest λ at which anything leaves
    /// C or any cluster below it. 0 for the densest points, towards 1 for isolated ones.
    ///
    /// One deliberate difference: when exact duplicates make λ_max infinite, hdbscan computes ∞ / ∞
    /// and returns NaN for every finite-λ point of that subtree; here those points get the limit, 1.
    var outlierScores: [Double] {
        var densest = deaths
        // Children follow their parents in the rows: walking them backwards settles each subtree first.
        for row in rows.reversed() where row.child >= root {
            densest[row.parent - root] = max(densest[row.parent - root], densest[row.child - root])
        }
        var scores = [Double](repeating: 0, count: pointCount)
        for row in rows where row.child < root {
            let lambdaMax = densest[row.parent - root]
            if lambdaMax == 0 || !row.lambda.isFinite {
                scores[row.child] = 0
            } else {
                scores[row.child] = lambdaMax.isInfinite ? 1 : (lambdaMax - row.lambda) / lambdaMax
            }
        }
        return scores
    }
}
