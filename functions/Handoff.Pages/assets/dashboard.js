// The supervisor dashboard's monthly trend (months up to today only): data from the page's JSON block, drawn by Chart.js (vendored, served by the app).
(function () {
  var data = document.getElementById('trend-data');
  var canvas = document.getElementById('trend');
  if (!data || !canvas || typeof Chart === 'undefined') { return; }
  var trend = JSON.parse(data.textContent);
  new Chart(canvas, {
    type: 'line',
    data: {
      labels: trend.labels,
      datasets: [
        { label: '出所通报（人）', data: trend.registered, yAxisID: 'y', borderColor: '#0b4f8a', backgroundColor: '#0b4f8a', tension: 0.2 },
        { label: '按期报到率（%）', data: trend.reportRate, yAxisID: 'rate', borderColor: '#1b6e20', backgroundColor: '#1b6e20', tension: 0.2, spanGaps: true }
      ]
    },
    options: {
      animation: false, maintainAspectRatio: false,
      scales: {
        y: { beginAtZero: true, position: 'left', title: { display: true, text: '人数' }, ticks: { precision: 0 } },
        rate: { min: 0, max: 100, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: '%' } }
      }
    }
  });
})();
