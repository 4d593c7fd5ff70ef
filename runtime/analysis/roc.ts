// Area under the ROC curve by ranks (the Mann–Whitney statistic), ties counted as half.

/** P(score of a random positive > score of a random negative) + ½·P(tie). */
export function areaUnderRoc(scores: ArrayLike<number>, positive: readonly boolean[]): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const midRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (positive[order[k]]) {
        positives++;
        rankSum += midRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) throw new RangeError('AUROC needs both positive and negative examples');
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
